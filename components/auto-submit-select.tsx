"use client";

/** A labelled select that submits its form on change (and has a button for no-JS use). */
export function AutoSubmitSelect(props: {
  name: string;
  label: string;
  defaultValue?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="flex items-center gap-1">
      <span className="sr-only">{props.label}</span>
      <select
        name={props.name}
        aria-label={props.label}
        defaultValue={props.defaultValue}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="rounded border border-slate-300 bg-white px-2 py-1"
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>{option.label}</option>
        ))}
      </select>
      <noscript><button type="submit">OK</button></noscript>
    </label>
  );
}

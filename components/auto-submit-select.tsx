"use client";

/**
 * A labelled select that submits its form on change (and has a button for no-JS use).
 * `value` is the value in force on the server. The select stays uncontrolled (so the no-JS form posts
 * what was picked) but is keyed by that value: React keeps an uncontrolled select's first default
 * across a server-action re-render and resets the form to it, which showed the old tenant/language
 * after a switch. A new value remounts it with the new default.
 */
export function AutoSubmitSelect(props: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="flex items-center gap-1">
      <span className="sr-only">{props.label}</span>
      <select
        key={props.value}
        name={props.name}
        aria-label={props.label}
        defaultValue={props.value}
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

import Form from "next/form";
import Link from "next/link";
import { useTranslations } from "next-intl";
import styles from "@/components/channel-row.module.css";

/**
 * /channels' filter form, sortable column header and pager. Everything is a plain GET form or a link
 * whose URL holds the whole view, so it works without JavaScript, from the keyboard (native controls,
 * focus always visible), after a reload and in a shared link. The page builds every value and URL.
 */

export interface Option {
  value: string;
  label: string;
}

const field = "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900";
const label = "flex flex-col gap-1 text-xs font-semibold text-slate-700";
const focus = "rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700";

function Select({ name, text, value, options, groups }: { name: string; text: string; value: string; options?: Option[]; groups?: { label: string; options: Option[] }[] }) {
  const option = (o: Option) => <option key={o.value} value={o.value}>{o.label}</option>;
  return (
    <label className={label}>
      {text}
      <select name={name} defaultValue={value} className={field}>
        {options?.map(option)}
        {groups?.map((group) => <optgroup key={group.label} label={group.label}>{group.options.map(option)}</optgroup>)}
      </select>
    </label>
  );
}

export function ChannelFilterForm(props: {
  q: string;
  state: string;
  sort: string;
  dir: string;
  stateGroups: { label: string; options: Option[] }[];
  sorts: Option[];
  dirs: Option[];
  /** The unfiltered list (same order), when a filter or search is in force. */
  clearHref: string | null;
}) {
  const t = useTranslations("channelList");
  return (
    // next/form: a plain GET form without JavaScript; with it, the same URL without a full reload.
    <Form action="/channels" prefetch={false} role="search" aria-label={t("view")} data-testid="channel-filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      <label className={`${label} min-w-[12rem] flex-1`}>
        {t("search")}
        <input type="search" name="q" defaultValue={props.q} maxLength={100} className={field} />
      </label>
      <Select name="state" text={t("filter")} value={props.state} options={[{ value: "", label: t("allStates") }]} groups={props.stateGroups} />
      <Select name="sort" text={t("sortBy")} value={props.sort} options={props.sorts} />
      <Select name="dir" text={t("direction")} value={props.dir} options={props.dirs} />
      <button type="submit" className={`rounded-lg bg-brand-700 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-900 ${focus}`}>
        {t("apply")}
      </button>
      {props.clearHref && (
        <Link href={props.clearHref} prefetch={false} className={`self-center text-sm font-medium text-brand-700 underline-offset-2 hover:underline ${focus}`}>
          {t("clear")}
        </Link>
      )}
    </Form>
  );
}

export interface SortLinkProps {
  /** What the column shows. */
  text: string;
  /** Said to screen readers before `text` when the column's words alone are not enough ("Disponibilidade" for "30 d"). */
  context?: string;
  href: string;
  /** The direction in force when the list is sorted by this column. */
  dir: "asc" | "desc" | null;
}

function SortLink({ text, context, href, dir }: SortLinkProps) {
  const t = useTranslations("channelList");
  return (
    <Link href={href} prefetch={false} className={`inline-flex items-center gap-1 underline decoration-slate-300 decoration-dotted underline-offset-4 hover:decoration-solid ${focus} ${dir ? "text-slate-900" : ""}`}>
      {context && <span className="sr-only">{context} </span>}
      {text}
      {dir && <span aria-hidden="true">{dir === "asc" ? "↑" : "↓"}</span>}
      {dir && <span className="sr-only">, {t(dir === "asc" ? "sortedAsc" : "sortedDesc")}</span>}
    </Link>
  );
}

/** The desktop column header; each sortable title links to the list sorted by it (again: the other way). */
export function ChannelListHeader(props: { name: SortLinkProps; severity: SortLinkProps; change: SortLinkProps; uptime: SortLinkProps }) {
  const t = useTranslations("channelList");
  return (
    <div role="group" aria-label={t("columns")} className={`${styles.columns} ${styles.header}`} data-testid="channel-sort">
      <span><SortLink {...props.name} /></span>
      <span className="flex flex-wrap gap-x-2"><SortLink {...props.severity} /><SortLink {...props.change} /></span>
      <span className="grid grid-cols-4 gap-2 text-center">
        <span aria-hidden="true">24 h</span><span aria-hidden="true">7 d</span><span><SortLink {...props.uptime} /></span>
        <span aria-hidden="true">{t("latency")}</span>
      </span>
      <span aria-hidden="true">{t("last90")}</span>
    </div>
  );
}

interface PageLink {
  href: string | null;
  text: string;
}

/** First, previous, next and last page, with where the reader is; a page that does not exist is shown, not linked. */
export function Pager({ status, first, previous, next, last }: { status: string; first: PageLink; previous: PageLink; next: PageLink; last: PageLink }) {
  const t = useTranslations("channelList");
  const item = ({ href, text }: PageLink, rel?: "prev" | "next") =>
    href ? (
      <Link href={href} rel={rel} prefetch={false} className={`rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 ${focus}`}>{text}</Link>
    ) : (
      <span aria-disabled="true" className="rounded-lg border border-slate-200 px-3 py-1.5 text-slate-500">{text}</span>
    );
  return (
    <nav aria-label={t("pages")} className="flex flex-wrap items-center gap-2 text-sm" data-testid="channel-pager">
      {item(first)}
      {item(previous, "prev")}
      <span className="px-1 text-slate-700">{status}</span>
      {item(next, "next")}
      {item(last)}
    </nav>
  );
}

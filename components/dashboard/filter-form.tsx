/**
 * The dashboard's filter forms (history, audit) as one component: a plain GET form, so it works
 * before scripts load, every filter lands in the URL (shareable, back-button friendly) and the
 * server does the filtering. Each page says only which fields it has.
 */
import Link from "next/link";

export interface FilterChoice {
  value: string;
  label: string;
}

/** Choices, optionally in labelled groups (rendered as <optgroup>). */
export type FilterChoices = (FilterChoice | { group: string; choices: FilterChoice[] })[];

export type FilterField =
  | { kind: "search" | "text"; name: string; label: string; placeholder?: string; maxLength?: number; isCode?: boolean }
  | { kind: "select"; name: string; label: string; anyLabel: string; choices: FilterChoices }
  | { kind: "date"; name: string; label: string };

export interface FilterFormProps {
  action: string;
  label: string;
  fields: FilterField[];
  values: Record<string, string | number | undefined>;
  /** Kept across a submit without being a filter (the page size). */
  hidden?: Record<string, string | number | undefined>;
}

const input =
  "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-900";
const labelStyle = "block text-xs font-medium text-neutral-600 dark:text-neutral-400";

function Control({ field, value }: { field: FilterField; value: string }) {
  const id = `filter-${field.name}`;
  if (field.kind === "select") {
    return (
      <select id={id} name={field.name} defaultValue={value} className={input}>
        <option value="">{field.anyLabel}</option>
        {field.choices.map((c) =>
          "group" in c ? (
            <optgroup key={c.group} label={c.group}>
              {c.choices.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ) : (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ),
        )}
      </select>
    );
  }
  if (field.kind === "date") return <input id={id} name={field.name} type="date" defaultValue={value} className={input} />;
  return (
    <input
      id={id}
      name={field.name}
      type={field.kind}
      defaultValue={value}
      placeholder={field.placeholder}
      maxLength={field.maxLength ?? 100}
      className={`${input} ${field.isCode ? "font-mono" : ""}`}
    />
  );
}

export function FilterForm({ action, label, fields, values, hidden = {} }: FilterFormProps) {
  const hasFilters = fields.some((f) => Boolean(values[f.name]));
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className="mb-4 grid grid-cols-2 items-end gap-3 rounded-lg border border-neutral-200 bg-white p-4 md:grid-cols-4 xl:grid-cols-7 dark:border-neutral-800 dark:bg-neutral-900"
    >
      {fields.map((field) => (
        <div key={field.name} className={field.kind === "search" ? "col-span-2" : undefined}>
          <label htmlFor={`filter-${field.name}`} className={labelStyle}>
            {field.label}
          </label>
          <Control field={field} value={String(values[field.name] ?? "")} />
        </div>
      ))}
      <div className="col-span-2 flex items-center gap-3 md:col-span-4 xl:col-span-7">
        <button
          type="submit"
          className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
        >
          Apply filters
        </button>
        {hasFilters ? (
          <Link
            href={action}
            className="rounded px-2 py-1.5 text-sm text-neutral-600 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-neutral-400"
          >
            Clear
          </Link>
        ) : null}
        {Object.entries(hidden).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      </div>
    </form>
  );
}

/**
 * History filters as a plain GET form: it works before scripts load, every filter lands in the
 * URL (shareable, back-button friendly), and the server does the filtering.
 */
import Link from "next/link";
import { HandoffStates } from "../../lib/lifecycle/states";
import type { FilterOptions } from "../../lib/dashboard/filter-options.query";

export interface HistoryFilterValues {
  status?: string;
  agent?: string;
  site?: string;
  from?: string;
  to?: string;
  q?: string;
  size?: number;
}

const field = "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-900";
const label = "block text-xs font-medium text-neutral-600 dark:text-neutral-400";

export function HistoryFilters({ values, options }: { values: HistoryFilterValues; options: FilterOptions }) {
  const hasFilters = Boolean(values.status || values.agent || values.site || values.from || values.to || values.q);
  return (
    <form method="get" action="/dashboard/handoffs" role="search" aria-label="Filter handoffs" className="mb-4 grid grid-cols-2 items-end gap-3 rounded-lg border border-neutral-200 bg-white p-4 md:grid-cols-5 xl:grid-cols-7 dark:border-neutral-800 dark:bg-neutral-900">
      <div className="col-span-2 md:col-span-5 xl:col-span-2">
        <label htmlFor="f-q" className={label}>
          Search
        </label>
        <input id="f-q" name="q" type="search" defaultValue={values.q ?? ""} maxLength={100} placeholder="End-user ref, site, agent or handoff id" className={field} />
      </div>
      <div>
        <label htmlFor="f-status" className={label}>
          Status
        </label>
        <select id="f-status" name="status" defaultValue={values.status ?? ""} className={field}>
          <option value="">Any</option>
          <option value="active">In progress</option>
          {HandoffStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-agent" className={label}>
          Agent
        </label>
        <select id="f-agent" name="agent" defaultValue={values.agent ?? ""} className={field}>
          <option value="">Any</option>
          {options.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.isRevoked ? " (revoked)" : ""}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-site" className={label}>
          Target site
        </label>
        <select id="f-site" name="site" defaultValue={values.site ?? ""} className={field}>
          <option value="">Any</option>
          {options.sites.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-from" className={label}>
          From (UTC)
        </label>
        <input id="f-from" name="from" type="date" defaultValue={values.from ?? ""} className={field} />
      </div>
      <div>
        <label htmlFor="f-to" className={label}>
          To (UTC)
        </label>
        <input id="f-to" name="to" type="date" defaultValue={values.to ?? ""} className={field} />
      </div>
      <div className="col-span-2 flex items-center gap-3 md:col-span-5 xl:col-span-7">
        <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
          Apply filters
        </button>
        {hasFilters ? (
          <Link href="/dashboard/handoffs" className="rounded px-2 py-1.5 text-sm text-neutral-600 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-neutral-400">
            Clear
          </Link>
        ) : null}
        {values.size ? <input type="hidden" name="size" value={values.size} /> : null}
      </div>
    </form>
  );
}

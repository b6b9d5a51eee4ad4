/** Audit filters as a GET form, like the history's: works without scripts, lives in the URL. */
import Link from "next/link";
import { AuditActors } from "../../lib/audit/audit-entry";

export interface AuditFilterValues {
  actor?: string;
  decision?: string;
  action?: string;
  handoff?: string;
  agent?: string;
  from?: string;
  to?: string;
}

const field = "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-900";
const label = "block text-xs font-medium text-neutral-600 dark:text-neutral-400";

export function AuditFilters({ values }: { values: AuditFilterValues }) {
  const hasFilters = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/dashboard/audit" role="search" aria-label="Filter the audit log" className="mb-4 grid grid-cols-2 items-end gap-3 rounded-lg border border-neutral-200 bg-white p-4 md:grid-cols-4 xl:grid-cols-7 dark:border-neutral-800 dark:bg-neutral-900">
      <div>
        <label htmlFor="a-actor" className={label}>
          Actor
        </label>
        <select id="a-actor" name="actor" defaultValue={values.actor ?? ""} className={field}>
          <option value="">Any</option>
          {AuditActors.map((a) => (
            <option key={a} value={a}>
              {a.replace("_", " ")}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="a-decision" className={label}>
          Decision
        </label>
        <select id="a-decision" name="decision" defaultValue={values.decision ?? ""} className={field}>
          <option value="">Any</option>
          <option value="allow">allow</option>
          <option value="deny">deny</option>
          <option value="info">info</option>
        </select>
      </div>
      <div>
        <label htmlFor="a-action" className={label}>
          Action starts with
        </label>
        <input id="a-action" name="action" defaultValue={values.action ?? ""} placeholder="handoff." maxLength={64} className={`${field} font-mono`} />
      </div>
      <div>
        <label htmlFor="a-handoff" className={label}>
          Handoff id
        </label>
        <input id="a-handoff" name="handoff" defaultValue={values.handoff ?? ""} placeholder="hnd_…" maxLength={64} className={`${field} font-mono`} />
      </div>
      <div>
        <label htmlFor="a-agent" className={label}>
          Agent id
        </label>
        <input id="a-agent" name="agent" defaultValue={values.agent ?? ""} placeholder="agt_…" maxLength={64} className={`${field} font-mono`} />
      </div>
      <div>
        <label htmlFor="a-from" className={label}>
          From (UTC)
        </label>
        <input id="a-from" name="from" type="date" defaultValue={values.from ?? ""} className={field} />
      </div>
      <div>
        <label htmlFor="a-to" className={label}>
          To (UTC)
        </label>
        <input id="a-to" name="to" type="date" defaultValue={values.to ?? ""} className={field} />
      </div>
      <div className="col-span-2 flex items-center gap-3 md:col-span-4 xl:col-span-7">
        <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
          Apply filters
        </button>
        {hasFilters ? (
          <Link href="/dashboard/audit" className="rounded px-2 py-1.5 text-sm text-neutral-600 underline-offset-2 hover:underline dark:text-neutral-400">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}

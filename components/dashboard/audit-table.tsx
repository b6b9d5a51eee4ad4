/** Audit rows, newest first. Every value is escaped text; agent-supplied ones sit in <bdi>. */
import Link from "next/link";
import type { AuditRow } from "../../lib/dashboard/audit.query";
import { formatFull, humanize } from "./format";
import { DecisionBadge } from "./status-badge";

function compactDetails(json: string): string {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== "object") return "";
    return Object.entries(parsed as Record<string, unknown>)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
      .join(" · ");
  } catch {
    return "";
  }
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
      <table className="w-full min-w-[700px] table-fixed text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit events, newest first. Times in UTC.</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-left text-xs font-medium uppercase tracking-wide text-neutral-500 dark:border-neutral-800 dark:bg-neutral-950">
          <tr className="h-10">
            <th scope="col" className="w-14 px-3 text-right">Seq</th>
            <th scope="col" className="w-40 px-3">Time</th>
            <th scope="col" className="w-22 px-3">Actor</th>
            <th scope="col" className="w-40 px-3 lg:w-44">Action</th>
            <th scope="col" className="w-22 px-3">Decision</th>
            <th scope="col" className="px-3">Subject and details</th>
            <th scope="col" className="hidden w-32 px-3 xl:table-cell">Hash</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const details = compactDetails(r.details);
            return (
              <tr key={r.seq} className="h-12 border-b border-neutral-100 last:border-0 dark:border-neutral-800">
                <td className="px-3 text-right font-mono text-xs tabular-nums text-neutral-500">{r.seq}</td>
                <td className="px-3 text-xs tabular-nums text-neutral-600 dark:text-neutral-400">{formatFull(r.at)}</td>
                <td className="px-3">{humanize(r.actor)}</td>
                <td className="truncate px-3 font-mono text-xs" title={r.action}>
                  {r.action}
                </td>
                <td className="px-3">
                  <DecisionBadge decision={r.decision} />
                </td>
                <td className="px-3 py-1.5">
                  <div className="flex gap-2 overflow-hidden text-xs whitespace-nowrap">
                    {r.reason ? <span className="font-medium">{humanize(r.reason)}</span> : null}
                    {r.handoffId ? (
                      <Link href={`/dashboard/handoffs/${r.handoffId}`} className="font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-300">
                        {r.handoffId}
                      </Link>
                    ) : null}
                    {r.agentId ? <span className="font-mono text-neutral-500">{r.agentId}</span> : null}
                    {r.operatorId ? <span className="font-mono text-amber-700 dark:text-amber-400" title="operator">{r.operatorId}</span> : null}
                    {r.targetOrigin ? <span className="truncate text-neutral-500">{r.targetOrigin}</span> : null}
                  </div>
                  {details ? (
                    <div className="truncate text-xs text-neutral-500" title={details}>
                      <bdi>{details}</bdi>
                    </div>
                  ) : null}
                </td>
                <td className="hidden px-3 font-mono text-xs text-neutral-400 xl:table-cell">{r.hashPrefix}…</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

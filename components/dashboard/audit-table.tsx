/**
 * Audit rows, newest first. People and agents appear by email and name, their ids on hover; a
 * decision pill only where a check was decided; long values end in an ellipsis with the whole
 * value on hover. Every value is escaped text; agent-supplied ones sit in <bdi>.
 */
import Link from "next/link";
import { shownDecision } from "../../lib/dashboard/audit-decision";
import type { AuditRow } from "../../lib/dashboard/audit.query";
import { formatDate, formatFull, formatTime, humanize } from "./format";
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

/** Who acted, in words a person recognises, and the id behind it for hover. */
function actorOf(r: AuditRow): { who: string; role: string | null; id: string | null } {
  if (r.actor === "operator") return { who: r.operatorEmail ?? r.operatorId ?? "unknown operator", role: "operator", id: r.operatorId };
  if (r.actor === "agent") return { who: r.agentName ?? r.agentId ?? "unknown agent", role: "agent", id: r.agentId };
  if (r.actor === "end_user") return { who: r.endUserRef ?? "end user", role: r.endUserRef ? "end user" : null, id: null };
  return { who: humanize(r.actor), role: null, id: null };
}

const cell = "truncate text-xs";

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
      <table className="w-full min-w-[700px] table-fixed text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit events, newest first. Times in UTC.</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-left text-xs font-medium uppercase tracking-wide text-muted dark:border-neutral-800 dark:bg-neutral-950">
          <tr className="h-10">
            <th scope="col" className="w-14 px-3 text-right">
              Seq
            </th>
            <th scope="col" className="w-28 px-3">
              Time
            </th>
            <th scope="col" className="w-36 px-3 lg:w-52">
              Actor
            </th>
            <th scope="col" className="w-40 px-3 lg:w-44">
              Action
            </th>
            <th scope="col" className="px-3">
              Decision, subject and details
            </th>
            <th scope="col" className="hidden w-32 px-3 xl:table-cell">
              Hash
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const details = compactDetails(r.details);
            const actor = actorOf(r);
            const decision = shownDecision(r.action, r.decision);
            return (
              <tr key={r.seq} data-testid="audit-row" className="h-12 border-b border-neutral-100 last:border-0 dark:border-neutral-800">
                <td className="px-3 text-right font-mono text-xs tabular-nums text-muted">{r.seq}</td>
                <td className="px-3 text-xs tabular-nums text-neutral-600 dark:text-neutral-400" title={`${formatFull(r.at)} UTC`}>
                  <div>{formatDate(r.at)}</div>
                  <div>{formatTime(r.at)}</div>
                </td>
                <td className="px-3">
                  <div data-testid="audit-actor" className={`${cell} font-medium`} title={actor.id ? `${actor.role} ${actor.id}` : actor.who}>
                    <bdi>{actor.who}</bdi>
                  </div>
                  {actor.role ? <div className={`${cell} text-muted`}>{actor.role}</div> : null}
                </td>
                <td className={`${cell} px-3 font-mono`} title={r.action}>
                  {r.action}
                </td>
                <td className="px-3 py-1.5">
                  <div className="flex min-w-0 items-center gap-2 text-xs">
                    {decision ? <DecisionBadge decision={decision} /> : null}
                    {r.reason ? (
                      <span className="max-w-40 shrink-0 truncate font-medium" title={r.reason}>
                        {humanize(r.reason)}
                      </span>
                    ) : null}
                    {r.handoffId ? (
                      <Link
                        href={`/dashboard/handoffs/${r.handoffId}`}
                        title={r.handoffId}
                        className="truncate font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-300"
                      >
                        {r.handoffId}
                      </Link>
                    ) : null}
                    {r.agentId && r.actor !== "agent" ? (
                      <span className="truncate text-muted" title={`agent ${r.agentId}`}>
                        <bdi>{r.agentName ?? r.agentId}</bdi>
                      </span>
                    ) : null}
                    {r.targetOrigin ? (
                      <span className="truncate text-muted" title={r.targetOrigin}>
                        {r.targetOrigin}
                      </span>
                    ) : null}
                  </div>
                  {details ? (
                    <div className={`${cell} text-muted`} title={details}>
                      <bdi>{details}</bdi>
                    </div>
                  ) : null}
                </td>
                <td className="hidden px-3 font-mono text-xs text-muted xl:table-cell">{r.hashPrefix}…</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

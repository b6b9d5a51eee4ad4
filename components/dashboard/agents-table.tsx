"use client";
/** Agents with their scope, key prefixes (never keys) and figures, and a row of actions each. */
import Link from "next/link";
import type { AgentRow } from "../../lib/dashboard/agents.query";
import { formatDayTime, formatDuration, formatNumber, formatPercent } from "./format";

const action = "whitespace-nowrap rounded px-2 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600";

export function AgentsTable({
  agents,
  onEdit,
  onRotate,
  onRevoke,
}: {
  agents: AgentRow[];
  onEdit: (a: AgentRow) => void;
  onRotate: (a: AgentRow) => void;
  onRevoke: (a: AgentRow) => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
      <table className="w-full min-w-[680px] table-fixed text-sm" data-testid="agents-table">
        <caption className="sr-only">Agents, their scope and figures</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-left text-xs font-medium uppercase tracking-wide text-muted dark:border-neutral-800 dark:bg-neutral-950">
          <tr className="h-10">
            <th scope="col" className="w-48 px-3 lg:w-64">
              Agent
            </th>
            <th scope="col" className="px-3">
              Scope
            </th>
            <th scope="col" className="w-36 px-3 lg:w-56">
              Handoffs
            </th>
            <th scope="col" className="w-28 px-3 text-right lg:w-60">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr
              key={a.id}
              data-testid="agent-row"
              data-agent-id={a.id}
              className={`border-b border-neutral-100 align-top last:border-0 dark:border-neutral-800 ${a.revokedAt ? "text-muted" : ""}`}
            >
              <td className="px-3 py-3">
                {/* Names and origins wrap rather than cut: they are what an operator reads a row by. */}
                <div data-testid="agent-name" className="font-medium break-words">
                  <bdi>{a.name}</bdi>
                </div>
                <div className="font-mono text-xs break-all text-muted">{a.id}</div>
                <div className="text-xs text-muted">since {formatDayTime(a.createdAt)}</div>
                {!a.revokedAt && a.keyPrefixes.length > 0 ? (
                  <div className="mt-0.5 truncate font-mono text-xs text-muted" title="Key prefixes: the keys themselves are never stored">
                    key {a.keyPrefixes.join(" ")}
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-3">
                <ul className="flex flex-wrap gap-1">
                  {a.origins.map((o) => (
                    <li
                      key={o}
                      data-testid="agent-origin"
                      className="max-w-full rounded bg-neutral-100 px-1.5 py-0.5 font-mono text-xs break-all dark:bg-neutral-800"
                    >
                      {o}
                    </li>
                  ))}
                </ul>
                <div className="mt-1 text-xs text-muted">
                  {a.identityProviders.length > 0 ? `Identity providers: ${a.identityProviders.join(", ")} · ` : ""}link lifetime ≤{" "}
                  {formatDuration(a.maxTtlSeconds * 1000)} · ≤ {a.maxConcurrent} at once
                </div>
                {a.webhookUrl ? (
                  <div className="mt-0.5 truncate text-xs text-muted" title="Signed handoff events go here" data-testid="agent-webhook">
                    webhook → {new URL(a.webhookUrl).host}
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-3 tabular-nums">
                <div>
                  <Link href={`/dashboard/handoffs?agent=${a.id}`} className="underline-offset-2 hover:underline">
                    {formatNumber(a.stats.total)} total
                  </Link>
                  {a.stats.live > 0 ? <span className="ml-2 text-violet-700 dark:text-violet-300">{a.stats.live} live</span> : null}
                </div>
                <div className="text-xs text-muted">
                  {formatPercent(a.stats.successRate)} success · last {formatDayTime(a.stats.lastHandoffAt)}
                </div>
              </td>
              <td className="px-3 py-3 text-right">
                {a.revokedAt ? (
                  <span className="text-xs font-medium">Revoked {formatDayTime(a.revokedAt)}</span>
                ) : (
                  <div className="flex flex-col items-end gap-1 lg:flex-row lg:justify-end">
                    <button
                      type="button"
                      onClick={() => onEdit(a)}
                      className={`${action} text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-sky-950`}
                      aria-label={`Edit scope of ${a.name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() => onRotate(a)}
                      className={`${action} text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-sky-950`}
                      aria-label={`Rotate key of ${a.name}`}
                    >
                      Rotate key
                    </button>
                    <button
                      type="button"
                      onClick={() => onRevoke(a)}
                      className={`${action} text-rose-700 hover:bg-rose-50 dark:text-rose-300 dark:hover:bg-rose-950`}
                      aria-label={`Revoke ${a.name}`}
                    >
                      Revoke
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

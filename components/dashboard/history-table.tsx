"use client";
/**
 * The history table, kept live. A row already on screen updates in place (fixed row height,
 * fixed column widths, fixed-width badges: nothing moves). A new handoff on the first page is
 * fetched with the page's own filters; if the operator has scrolled into the table it waits
 * behind a floating "new handoffs" button instead of pushing rows under their cursor. A row that
 * stops matching the filters (a live one completing under "In progress") stays until the next
 * load, updated: rows do not vanish while someone reads them.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { HistoryPageResponseSchema } from "../../lib/protocol/operator-api";
import type { HandoffSummary } from "../../lib/protocol/operator-events";
import { useHandoffChanges } from "./dashboard-context";
import { between, formatDayTime, formatDuration, formatNumber, humanize, shortId } from "./format";
import { operatorGet } from "./operator-fetch";
import { EmptyState } from "./stat-card";
import { StatusBadge } from "./status-badge";

export interface HistoryTableProps {
  initialRows: HandoffSummary[];
  initialTotal: number;
  isFirstPage: boolean;
  /** The page's query string without cursors, for refetching the first page. */
  queryString: string;
  hasFilters: boolean;
}

export function HistoryTable({ initialRows, initialTotal, isFirstPage, queryString, hasFilters }: HistoryTableProps) {
  const router = useRouter();
  const [rows, setRows] = useState(initialRows);
  const [total, setTotal] = useState(initialTotal);
  const [waiting, setWaiting] = useState<{ rows: HandoffSummary[]; total: number; count: number } | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState("");
  const tableRef = useRef<HTMLDivElement>(null);
  const refetch = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = useRef(new Set(initialRows.map((r) => r.id)));

  // New rows stay marked for a few seconds, then settle (a colour change; nothing moves).
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = setTimeout(() => setFresh(new Set()), 5000);
    return () => clearTimeout(timer);
  }, [fresh]);

  const show = useCallback((next: HandoffSummary[], nextTotal: number) => {
    const added = next.filter((r) => !shown.current.has(r.id));
    shown.current = new Set(next.map((r) => r.id));
    setRows(next);
    setTotal(nextTotal);
    setWaiting(null);
    setFresh(new Set(added.map((r) => r.id)));
    if (added.length > 0)
      setAnnouncement(`${added.length} new handoff${added.length === 1 ? "" : "s"}: ${added.map((r) => `${r.agentName} for ${r.targetSite}`).join(", ")}`);
  }, []);

  const loadFirstPage = useCallback(async () => {
    const result = await operatorGet(`/api/dashboard/handoffs?${queryString}`, HistoryPageResponseSchema);
    if (!result.ok) return;
    const added = result.data.rows.filter((r) => !shown.current.has(r.id)).length;
    if (added === 0) return;
    // Scrolled into the table: do not move rows under the operator's eyes.
    const top = tableRef.current?.getBoundingClientRect().top ?? 0;
    if (top < 0) setWaiting({ rows: result.data.rows, total: result.data.total, count: added });
    else show(result.data.rows, result.data.total);
  }, [queryString, show]);

  useHandoffChanges((summary) => {
    if (shown.current.has(summary.id)) {
      setRows((current) => current.map((r) => (r.id === summary.id ? summary : r)));
      return;
    }
    if (!isFirstPage || refetch.current) return;
    refetch.current = setTimeout(() => {
      refetch.current = null;
      void loadFirstPage();
    }, 250);
  });

  return (
    <div ref={tableRef}>
      <p className="mb-2 text-sm text-neutral-600 tabular-nums dark:text-neutral-400" data-testid="history-total">
        {formatNumber(total)} handoff{total === 1 ? "" : "s"}
        {hasFilters ? " match" : ""}
      </p>
      <div aria-live="polite" className="sr-only">
        {announcement}
      </div>
      {waiting ? (
        <button
          type="button"
          onClick={() => {
            show(waiting.rows, waiting.total);
            tableRef.current?.scrollIntoView({ behavior: "smooth" });
          }}
          className="fixed bottom-6 left-1/2 z-10 -translate-x-1/2 rounded-full bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow-lg hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
        >
          {waiting.count} new handoff{waiting.count === 1 ? "" : "s"} — show
        </button>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={hasFilters ? "No handoffs match these filters" : "No handoffs yet"}>
          {hasFilters ? "Try a wider date range or clear the filters." : "New handoffs appear here the moment an agent creates them — no reload needed."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
          <table className="w-full min-w-[720px] table-fixed text-sm" data-testid="history-table">
            <caption className="sr-only">Handoffs, newest first. Times in UTC.</caption>
            <thead className="border-b border-neutral-200 bg-neutral-50 text-left text-xs font-medium uppercase tracking-wide text-muted dark:border-neutral-800 dark:bg-neutral-950">
              <tr className="h-10">
                <th scope="col" className="w-36 px-3 lg:w-44">
                  Status
                </th>
                <th scope="col" className="px-3">
                  Agent · target site
                </th>
                <th scope="col" className="w-32 px-3 lg:w-36">
                  End user
                </th>
                <th scope="col" className="w-28 px-3">
                  Created
                </th>
                <th scope="col" className="hidden w-24 px-3 text-right lg:table-cell">
                  To open
                </th>
                <th scope="col" className="hidden w-28 px-3 text-right lg:table-cell">
                  To approve
                </th>
                <th scope="col" className="w-24 px-3 text-right lg:w-28">
                  To sign in
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  data-testid="history-row"
                  data-handoff-id={r.id}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest("a")) return;
                    router.push(`/dashboard/handoffs/${r.id}`);
                  }}
                  className={`h-14 cursor-pointer border-b transition-colors duration-1000 border-neutral-100 last:border-0 hover:bg-neutral-50 dark:border-neutral-800 dark:hover:bg-neutral-800/50 ${fresh.has(r.id) ? "bg-sky-50 shadow-[inset_3px_0_0_var(--color-sky-500)] dark:bg-sky-950/40" : ""}`}
                >
                  <td className="px-3">
                    <StatusBadge state={r.state} />
                    {/* How it ended, under the state it ended in; a live row needs no second word. */}
                    {r.endReason && r.endReason !== r.state ? (
                      <div className="mt-0.5 truncate text-xs text-neutral-600 dark:text-neutral-400" title={r.endReason}>
                        {humanize(r.endReason)}
                      </div>
                    ) : null}
                  </td>
                  <td className="px-3">
                    <div data-testid="history-agent-name" className="truncate font-medium" title={r.agentName}>
                      <Link
                        href={`/dashboard/handoffs/${r.id}`}
                        className="rounded underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
                        aria-label={`Open handoff ${r.id} by ${r.agentName} for ${r.targetSite}`}
                      >
                        <bdi>{r.agentName}</bdi>
                      </Link>
                    </div>
                    <div className="truncate text-xs text-muted" title={`${r.targetOrigin} · agent ${r.agentId}`}>
                      {r.targetSite} · <span className="font-mono">{shortId(r.agentId)}</span>
                    </div>
                  </td>
                  <td className="truncate px-3 text-neutral-600 dark:text-neutral-400" title={r.endUserRef ?? undefined}>
                    <bdi>{r.endUserRef ?? "—"}</bdi>
                  </td>
                  <td className="px-3 tabular-nums text-neutral-600 dark:text-neutral-400">{formatDayTime(r.createdAt)}</td>
                  <td className="hidden px-3 text-right tabular-nums lg:table-cell">{formatDuration(between(r.createdAt, r.openedAt))}</td>
                  <td className="hidden px-3 text-right tabular-nums lg:table-cell">{formatDuration(between(r.openedAt, r.approvedAt))}</td>
                  <td className="px-3 text-right tabular-nums">{formatDuration(between(r.approvedAt, r.capturedAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * A handoff's audit events in order: when, how long after the previous step, who, what, and the
 * decision. Details are non-secret metadata by construction (the audit log never holds secrets)
 * and render as escaped text, agent-supplied strings isolated with <bdi>.
 */
import { shownDecision } from "../../lib/dashboard/audit-decision";
import { classifyBlocked } from "../../lib/dashboard/blocked-requests";
import type { TimelineEvent } from "../../lib/dashboard/handoff-detail.query";
import { BLOCKED_KIND_LABELS } from "./blocked-requests-panel";
import { formatDuration, formatTime, humanize } from "./format";
import { DecisionBadge } from "./status-badge";

// Shown in words instead: the transition beside the action, a blocked request's kind as its label.
const HIDDEN_DETAILS = new Set(["from", "to", "isNavigation", "source"]);

function actorText(e: TimelineEvent): { text: string; title?: string } {
  if (e.actor === "operator") return { text: e.operatorEmail ?? "an operator", title: e.operatorId ? `operator ${e.operatorId}` : undefined };
  return { text: humanize(e.actor) };
}

function detailText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ") || "none";
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The browser's own background traffic is refused too, but it is not an alarm: a quiet dot. */
const isBackground = (e: TimelineEvent) => e.action === "navigation.blocked" && classifyBlocked(e.at, e.reason, e.details).kind === "background";

function dotColour(e: TimelineEvent): string {
  if (isBackground(e)) return "bg-neutral-400 dark:bg-neutral-500";
  if (e.decision === "deny") return "bg-rose-500";
  if (e.action.endsWith(".completed")) return "bg-emerald-500";
  return e.actor === "operator" ? "bg-amber-500" : "bg-sky-500";
}

export function Timeline({ events }: { events: TimelineEvent[] }) {
  return (
    <ol className="relative space-y-0" data-testid="timeline">
      {events.map((e, i) => {
        const details = Object.entries(e.details).filter(([k]) => !HIDDEN_DETAILS.has(k));
        const decision = shownDecision(e.action, e.decision);
        const actor = actorText(e);
        return (
          <li key={e.seq} className="relative grid grid-cols-[5.5rem_1.5rem_1fr] gap-x-2 pb-5 last:pb-0">
            <div className="pt-0.5 text-right text-xs tabular-nums text-muted">
              <div>{formatTime(e.at)}</div>
              <div className="text-muted">{e.sincePreviousMs === null ? "start" : `+${formatDuration(e.sincePreviousMs)}`}</div>
            </div>
            <div className="relative flex justify-center">
              {i < events.length - 1 ? <span aria-hidden className="absolute top-4 bottom-[-1.25rem] w-px bg-neutral-200 dark:bg-neutral-700" /> : null}
              <span aria-hidden className={`relative mt-1.5 size-2.5 rounded-full ring-4 ring-white dark:ring-neutral-900 ${dotColour(e)}`} />
            </div>
            <div className="min-w-0">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{humanize(e.action)}</span>
                {decision && !isBackground(e) ? <DecisionBadge decision={decision} /> : null}
                {e.action === "navigation.blocked" ? (
                  <span className="text-xs font-medium">{BLOCKED_KIND_LABELS[classifyBlocked(e.at, e.reason, e.details).kind]}</span>
                ) : null}
                <span className="text-xs text-muted" title={actor.title}>
                  by <bdi>{actor.text}</bdi>
                </span>
                {typeof e.details.from === "string" && typeof e.details.to === "string" ? (
                  <span className="text-xs text-muted">
                    {e.details.from} → {e.details.to}
                  </span>
                ) : null}
              </div>
              {e.reason && e.reason !== "completed" ? (
                <div className="mt-0.5 text-sm text-neutral-600 dark:text-neutral-400">Reason: {humanize(e.reason)}</div>
              ) : null}
              {details.length > 0 ? (
                <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-muted">
                  {details.map(([k, v]) => (
                    <div key={k} className="flex min-w-0 max-w-full gap-1">
                      <dt>{k}:</dt>
                      <dd className="truncate" title={detailText(v)}>
                        <bdi>{detailText(v)}</bdi>
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

import type { ShownDecision } from "../../lib/dashboard/audit-decision";
import { type HandoffState, isActive } from "../../lib/lifecycle/states";

/** Colour says the kind of state; the text always says which, so colour is never the only cue. */
const styles: Record<HandoffState, string> = {
  pending: "bg-neutral-100 text-neutral-700 ring-neutral-300 dark:bg-neutral-800 dark:text-neutral-200 dark:ring-neutral-600",
  opened: "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  approved: "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  live: "bg-violet-50 text-violet-800 ring-violet-200 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-800",
  captured: "bg-violet-50 text-violet-800 ring-violet-200 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-800",
  completed: "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  denied: "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  expired: "bg-neutral-100 text-neutral-600 ring-neutral-300 dark:bg-neutral-800 dark:text-neutral-300 dark:ring-neutral-600",
  cancelled: "bg-neutral-100 text-neutral-600 ring-neutral-300 dark:bg-neutral-800 dark:text-neutral-300 dark:ring-neutral-600",
  failed: "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800",
};

export function StatusBadge({ state }: { state: HandoffState }) {
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex w-24 items-center justify-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[state]}`}
    >
      {isActive(state) ? <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" /> : null}
      {state}
    </span>
  );
}

/** Only for rows that record a decision (see shownDecision): an allowed or refused check. */
export function DecisionBadge({ decision }: { decision: ShownDecision }) {
  const style =
    decision === "deny"
      ? "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800"
      : "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800";
  return (
    <span
      data-testid="decision-badge"
      className={`inline-flex w-14 shrink-0 justify-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style}`}
    >
      {decision}
    </span>
  );
}

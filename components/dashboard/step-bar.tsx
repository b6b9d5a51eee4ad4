/**
 * Where a handoff's time went, as one bar split into its steps (to open, to approve, to sign in,
 * to hand over). Widths are proportions; the labels carry the numbers.
 */
import type { HandoffSummary } from "../../lib/protocol/operator-events";
import { between, formatDuration } from "./format";

const STEPS = [
  { label: "To open", from: "createdAt", to: "openedAt", className: "bg-sky-300 dark:bg-sky-700" },
  { label: "To approve", from: "openedAt", to: "approvedAt", className: "bg-sky-500" },
  { label: "To sign in", from: "approvedAt", to: "capturedAt", className: "bg-violet-500" },
  { label: "To hand over", from: "capturedAt", to: "completedAt", className: "bg-emerald-500" },
] as const;

export function StepBar({ summary }: { summary: HandoffSummary }) {
  const steps = STEPS.map((s) => ({ ...s, ms: between(summary[s.from], summary[s.to]) }));
  const total = steps.reduce((n, s) => n + (s.ms ?? 0), 0);
  return (
    <div>
      <div
        className="flex h-3 w-full overflow-hidden rounded-full bg-neutral-100 dark:bg-neutral-800"
        role="img"
        aria-label={steps.map((s) => `${s.label} ${formatDuration(s.ms)}`).join(", ")}
      >
        {total > 0
          ? steps.map((s) => (s.ms ? <div key={s.label} className={s.className} style={{ width: `${Math.max(1.5, (s.ms / total) * 100)}%` }} /> : null))
          : null}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-3 md:grid-cols-4">
        {steps.map((s) => (
          <div key={s.label}>
            <dt className="flex items-center gap-1.5 text-xs text-muted">
              <span aria-hidden className={`size-2 rounded-full ${s.className}`} />
              {s.label}
            </dt>
            <dd className="text-sm font-semibold tabular-nums">{formatDuration(s.ms)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

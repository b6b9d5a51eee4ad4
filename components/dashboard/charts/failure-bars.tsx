/** Failures by reason as labelled horizontal bars: the reason and count are text, the bar is scale. */
import { formatNumber, humanize } from "../format";

export function FailureBars({ failures }: { failures: { state: string; reason: string; count: number }[] }) {
  const max = Math.max(1, ...failures.map((f) => f.count));
  return (
    <ul className="space-y-2.5">
      {failures.slice(0, 8).map((f) => (
        <li key={`${f.state}:${f.reason}`} className="text-sm">
          <div className="flex items-baseline justify-between gap-3">
            <span className="truncate" title={f.reason}>
              <span className="font-medium">{f.state}</span>
              {f.reason !== f.state ? <span className="text-muted"> · {humanize(f.reason)}</span> : null}
            </span>
            <span className="tabular-nums text-neutral-600 dark:text-neutral-400">{formatNumber(f.count)}</span>
          </div>
          <div aria-hidden className="mt-1 h-1.5 rounded-full bg-neutral-100 dark:bg-neutral-800">
            <div className="h-1.5 rounded-full bg-rose-400" style={{ width: `${(f.count / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}

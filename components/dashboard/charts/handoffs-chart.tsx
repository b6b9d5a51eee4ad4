/**
 * Handoffs over time as stacked bars (completed, unsuccessful, still active), drawn as inline SVG:
 * no chart library, no script, and the same picture on the server and in the browser.
 */
import type { SeriesBucket } from "../../../lib/dashboard/overview.query";
import { formatNumber } from "../format";
import { niceScale } from "./nice-scale";

const W = 720;
const H = 220;
const PAD = { left: 36, right: 8, top: 10, bottom: 26 };
const SERIES = [
  { key: "completed", label: "Completed", className: "fill-emerald-500" },
  { key: "failed", label: "Did not complete", className: "fill-rose-400" },
  { key: "active", label: "In progress", className: "fill-violet-400" },
] as const;

const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hour12: false });
const day = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" });

function label(iso: string, bucketMs: number): string {
  return bucketMs < 6 * 3_600_000 ? hour.format(new Date(iso)) : day.format(new Date(iso));
}

/** The bar that holds now is the one people look for first: it always has a label, in words. */
function tickLabel(i: number, buckets: SeriesBucket[], bucketMs: number, every: number): string | null {
  const fromEnd = buckets.length - 1 - i;
  if (fromEnd === 0) return bucketMs < 6 * 3_600_000 ? "Now" : "Today";
  return fromEnd % every === 0 ? label(buckets[i].start, bucketMs) : null;
}

export function HandoffsChart({ buckets, bucketMs }: { buckets: SeriesBucket[]; bucketMs: number }) {
  const totals = buckets.map((b) => b.completed + b.failed + b.active);
  const scale = niceScale(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, buckets.length);
  const barW = Math.max(2, slot * 0.72);
  const y = (v: number) => PAD.top + plotH - (v / scale.max) * plotH;
  const labelEvery = Math.ceil(buckets.length / 8);
  const sum = totals.reduce((a, b) => a + b, 0);

  return (
    <figure>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Handoffs over time: ${formatNumber(sum)} in ${buckets.length} intervals`}
      >
        {scale.ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-neutral-200 dark:stroke-neutral-800" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-muted text-[11px] tabular-nums">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          let base = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const tick = tickLabel(i, buckets, bucketMs, labelEvery);
          return (
            <g key={b.start} data-testid="chart-bucket">
              <title>{`${label(b.start, bucketMs)} — ${SERIES.map((s) => `${s.label.toLowerCase()}: ${b[s.key]}`).join(", ")}`}</title>
              {SERIES.map((s) => {
                const v = b[s.key];
                if (v === 0) return null;
                const top = y(base + v);
                const height = y(base) - top;
                base += v;
                return <rect key={s.key} x={x} y={top} width={barW} height={Math.max(1, height)} rx={1.5} className={s.className} />;
              })}
              {tick ? (
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" className="fill-muted text-[11px]">
                  {tick}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-neutral-600 dark:text-neutral-400">
        {SERIES.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5">
            <svg aria-hidden viewBox="0 0 10 10" className="size-2.5">
              <rect width="10" height="10" rx="2" className={s.className} />
            </svg>
            {s.label}
          </span>
        ))}
        <span className="ml-auto">Times in UTC</span>
      </figcaption>
    </figure>
  );
}

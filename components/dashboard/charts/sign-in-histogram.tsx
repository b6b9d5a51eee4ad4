/** How long people take to sign in once they approve: a histogram in inline SVG. */
import { formatNumber } from "../format";
import { niceScale } from "./nice-scale";

const W = 360;
const H = 220;
const PAD = { left: 30, right: 6, top: 10, bottom: 26 };

/** "0–15s", "30s–1m", "1–2m", "10m+": one unit when both ends share it. */
function bucketLabel(fromS: number, toS: number | null): string {
  const unit = (s: number) => (s < 60 ? { n: s, u: "s" } : { n: s / 60, u: "m" });
  const a = unit(fromS);
  if (toS === null) return `${a.n}${a.u}+`;
  const b = unit(toS);
  return a.u === b.u || fromS === 0 ? `${a.n}–${b.n}${b.u}` : `${a.n}${a.u}–${b.n}${b.u}`;
}

export function SignInHistogram({ buckets }: { buckets: { fromS: number; toS: number | null; count: number }[] }) {
  const scale = niceScale(Math.max(0, ...buckets.map((b) => b.count)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const y = (v: number) => PAD.top + plotH - (v / scale.max) * plotH;
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return <p className="flex h-40 items-center justify-center text-sm text-muted">No handoff reached sign-in in this range yet.</p>;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="h-auto w-full"
      role="img"
      aria-label={`Time to sign in for ${formatNumber(total)} handoffs: ${buckets.map((b) => `${bucketLabel(b.fromS, b.toS)} ${b.count}`).join(", ")}`}
    >
      {scale.ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-neutral-200 dark:stroke-neutral-800" strokeWidth={1} />
          <text x={PAD.left - 5} y={y(t) + 4} textAnchor="end" className="fill-muted text-[11px] tabular-nums">
            {formatNumber(t)}
          </text>
        </g>
      ))}
      {buckets.map((b, i) => {
        const x = PAD.left + i * slot + slot * 0.12;
        const w = slot * 0.76;
        return (
          <g key={b.fromS}>
            <title>{`${bucketLabel(b.fromS, b.toS)}: ${b.count}`}</title>
            {b.count > 0 ? <rect x={x} y={y(b.count)} width={w} height={Math.max(1, y(0) - y(b.count))} rx={2} className="fill-sky-500" /> : null}
            <text x={x + w / 2} y={H - 8} textAnchor="middle" className="fill-muted text-[11px]">
              {bucketLabel(b.fromS, b.toS)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

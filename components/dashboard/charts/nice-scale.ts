/** A y-axis maximum and ticks that read as round numbers (1, 2, 5 × 10ⁿ). */
export function niceScale(max: number, targetTicks = 4): { max: number; ticks: number[] } {
  if (max <= 0) return { max: 1, ticks: [0, 1] };
  // Counts: never a step below 1 (no "0.5 handoffs").
  const rough = Math.max(1, max / targetTicks);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { max: top, ticks };
}

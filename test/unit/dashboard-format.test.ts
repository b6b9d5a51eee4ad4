import { describe, expect, it } from "vitest";
import { niceScale } from "../../components/dashboard/charts/nice-scale";
import { between, formatDuration, formatPercent, humanize } from "../../components/dashboard/format";

describe("dashboard formatting", () => {
  it("formats durations without impossible readings such as 1 m 60 s", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(2_210)).toBe("2.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(59_600)).toBe("1 m 00 s");
    expect(formatDuration(119_600)).toBe("2 m 00 s");
    expect(formatDuration(185_000)).toBe("3 m 05 s");
    expect(formatDuration(3_599_700)).toBe("1 h 00 m");
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-5)).toBe("—");
  });

  it("measures steps only when both ends happened", () => {
    expect(between("2026-12-01T00:00:00Z", "2026-12-01T00:00:02.5Z")).toBe(2500);
    expect(between("2026-12-01T00:00:00Z", null)).toBeNull();
  });

  it("shows rates and reason codes as people read them", () => {
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(0.716)).toBe("71.6%");
    expect(formatPercent(1)).toBe("100%");
    expect(humanize("cancelled_by_operator")).toBe("cancelled by operator");
  });

  it("scales chart axes to whole counts", () => {
    expect(niceScale(1)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(3).ticks.every(Number.isInteger)).toBe(true);
    expect(niceScale(73)).toEqual({ max: 80, ticks: [0, 20, 40, 60, 80] });
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
  });
});

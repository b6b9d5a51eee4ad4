/** A handoff's lifecycle timestamps as ISO strings (null until reached): what durations are computed from. */
export interface HandoffTimes {
  openedAt: string | null;
  approvedAt: string | null;
  liveAt: string | null;
  capturedAt: string | null;
  completedAt: string | null;
  endedAt: string | null;
}

type TimedRow = { [K in keyof HandoffTimes]: Date | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function handoffTimes(row: TimedRow): HandoffTimes {
  return {
    openedAt: iso(row.openedAt),
    approvedAt: iso(row.approvedAt),
    liveAt: iso(row.liveAt),
    capturedAt: iso(row.capturedAt),
    completedAt: iso(row.completedAt),
    endedAt: iso(row.endedAt),
  };
}

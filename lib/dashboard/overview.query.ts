/**
 * The overview's figures, aggregated in the database rather than by loading rows: counts by state
 * and reason, a time series of handoffs, and the step durations behind the medians and the
 * time-to-sign-in histogram. Durations come from the lifecycle's own timestamps, in whole
 * milliseconds on both databases (overview-sql.ts holds the one expression that differs).
 */
import { z } from "zod";
import type { Db } from "../db/open-database";
import { ActiveStates, type HandoffState } from "../lifecycle/states";
import { parseHandoffState } from "../handoffs/handoff.store";
import { median } from "./stats";
import { epochMs, queryRows } from "./overview-sql";
import { neutralizeText } from "../text/neutralize-text";

export const RANGES = {
  "24h": { ms: 86_400_000, bucketMs: 3_600_000 },
  "7d": { ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000 },
  "30d": { ms: 30 * 86_400_000, bucketMs: 86_400_000 },
} as const;
export type RangeKey = keyof typeof RANGES;
export const OverviewQuerySchema = z.object({
  range: z
    .enum(Object.keys(RANGES) as [RangeKey, ...RangeKey[]])
    .catch("7d")
    .default("7d"),
});

/** Time-to-sign-in histogram bucket edges, in seconds. */
export const SIGN_IN_EDGES = [0, 15, 30, 60, 120, 300, 600] as const;

export interface SeriesBucket {
  start: string;
  completed: number;
  failed: number;
  active: number;
}

export interface Overview {
  range: RangeKey;
  liveNow: number;
  today: number;
  total: number;
  ended: number;
  completed: number;
  /** completed / ended, or null with nothing ended. */
  successRate: number | null;
  medians: { openMs: number | null; approveMs: number | null; signInMs: number | null; totalMs: number | null };
  failures: { state: HandoffState; reason: string; count: number }[];
  series: { bucketMs: number; buckets: SeriesBucket[] };
  signInHistogram: { fromS: number; toS: number | null; count: number }[];
}

const ACTIVE_SQL = ActiveStates.map((s) => `'${s}'`).join(",");

type Count = number | bigint;
type Duration = number | bigint | null;

export async function queryOverview(db: Db, now: Date, range: RangeKey): Promise<Overview> {
  const { ms, bucketMs } = RANGES[range];
  // Buckets align to whole hours/days (UTC) so the chart's ticks read naturally; the last one
  // holds now.
  const bucketCount = Math.round(ms / bucketMs);
  const firstBucket = Math.floor(now.getTime() / bucketMs) * bucketMs - (bucketCount - 1) * bucketMs;
  const since = new Date(firstBucket);
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const at = (column: string) => epochMs(db.dialect, column);
  const between = (to: string, from: string) => `${at(to)} - ${at(from)}`;

  // Integer arithmetic on whole milliseconds: the bucket is an integer division of a non-negative
  // number, which truncates alike on both databases (a CAST would round on PostgreSQL).
  const [counts, seriesRows, durations, liveRows, todayRows] = await Promise.all([
    queryRows<{ state: string; endReason: string | null; n: Count }>(
      db,
      `SELECT "state", "endReason", count(*) AS n FROM "Handoff" WHERE "createdAt" >= ? GROUP BY "state", "endReason"`,
      since,
    ),
    queryRows<{ b: Count; kind: string; n: Count }>(
      db,
      `SELECT (${at("createdAt")} - CAST(? AS BIGINT)) / CAST(? AS BIGINT) AS b,
              CASE WHEN "state" = 'completed' THEN 'completed' WHEN "state" IN (${ACTIVE_SQL}) THEN 'active' ELSE 'failed' END AS kind,
              count(*) AS n
         FROM "Handoff" WHERE "createdAt" >= ? GROUP BY b, kind`,
      firstBucket,
      bucketMs,
      since,
    ),
    queryRows<{ o: Duration; a: Duration; s: Duration; t: Duration }>(
      db,
      `SELECT ${between("openedAt", "createdAt")} AS o, ${between("approvedAt", "openedAt")} AS a,
              ${between("capturedAt", "approvedAt")} AS s, ${between("completedAt", "createdAt")} AS t
         FROM "Handoff" WHERE "createdAt" >= ? AND "openedAt" IS NOT NULL`,
      since,
    ),
    queryRows<{ n: Count }>(db, `SELECT count(*) AS n FROM "Handoff" WHERE "state" IN (${ACTIVE_SQL})`),
    queryRows<{ n: Count }>(db, `SELECT count(*) AS n FROM "Handoff" WHERE "createdAt" >= ?`, midnight),
  ]);

  let total = 0;
  let completed = 0;
  let ended = 0;
  const failures: Overview["failures"] = [];
  for (const row of counts) {
    const n = Number(row.n);
    total += n;
    if ((ActiveStates as readonly string[]).includes(row.state)) continue;
    ended += n;
    if (row.state === "completed") completed += n;
    else failures.push({ state: parseHandoffState(row.state), reason: neutralizeText(row.endReason ?? row.state), count: n });
  }
  failures.sort((x, y) => y.count - x.count);

  const buckets: SeriesBucket[] = Array.from({ length: bucketCount }, (_, i) => ({
    start: new Date(firstBucket + i * bucketMs).toISOString(),
    completed: 0,
    failed: 0,
    active: 0,
  }));
  for (const row of seriesRows) {
    const bucket = buckets[Number(row.b)];
    if (bucket) bucket[row.kind as "completed" | "failed" | "active"] += Number(row.n);
  }

  const pick = (key: "o" | "a" | "s" | "t") =>
    durations
      .map((d) => d[key])
      .filter((v) => v !== null)
      .map(Number)
      .filter((v) => v >= 0);
  const signIns = pick("s");
  const signInHistogram = SIGN_IN_EDGES.map((fromS, i) => {
    const toS = SIGN_IN_EDGES[i + 1] ?? null;
    return { fromS, toS, count: signIns.filter((v) => v >= fromS * 1000 && (toS === null || v < toS * 1000)).length };
  });

  return {
    range,
    liveNow: Number(liveRows[0]?.n ?? 0),
    today: Number(todayRows[0]?.n ?? 0),
    total,
    ended,
    completed,
    successRate: ended > 0 ? completed / ended : null,
    medians: { openMs: median(pick("o")), approveMs: median(pick("a")), signInMs: median(signIns), totalMs: median(pick("t")) },
    failures,
    series: { bucketMs, buckets },
    signInHistogram,
  };
}

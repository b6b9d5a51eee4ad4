/**
 * The handoff history: filters, search, and keyset pagination on (createdAt, id) — a page costs
 * the same at row 100,000 as at row 1, because each page starts from an index position instead
 * of skipping rows. Composite indexes (state|agentId|targetSite, createdAt, id) keep filtered
 * pages on an index too.
 */
import { z } from "zod";
import type { Db } from "../db/open-database";
import type { Prisma } from "../db/generated/client";
import { HandoffStates, StateGroupKeys, StateGroups } from "../lifecycle/states";
import type { HistoryPageResponse } from "../protocol/operator-api";
import { parseHandoffRow } from "../handoffs/handoff.store";
import { toHandoffSummary } from "./handoff-summary";
import { containsText } from "./text-match";
import type { Dialect } from "../db/dialect";

export const PAGE_SIZES = [25, 50, 100] as const;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "not a date");
const Empty = z.literal("").transform(() => undefined);
const opt = <T extends z.ZodType>(schema: T) => z.union([Empty, schema]).optional();

/** Filters as they arrive in a URL query (all strings). Unknown keys are dropped. */
export const HistoryQuerySchema = z.object({
  /** One lifecycle state, or a group of them ("active", "ended"). */
  status: opt(z.enum([...HandoffStates, ...StateGroupKeys])),
  agent: opt(z.string().regex(/^agt_[A-Za-z0-9_-]{16}$/, "not an agent id")),
  site: opt(z.string().trim().toLowerCase().max(253)),
  from: opt(Day),
  to: opt(Day),
  q: opt(z.string().trim().max(100)),
  after: opt(z.string().max(200)),
  before: opt(z.string().max(200)),
  size: opt(z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]))),
});
export type HistoryQuery = z.output<typeof HistoryQuerySchema>;

const CursorSchema = z.strictObject({ t: z.iso.datetime(), i: z.string().max(64) });
type Cursor = z.infer<typeof CursorSchema>;

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: row.createdAt.toISOString(), i: row.id })).toString("base64url");
}

/** A malformed cursor reads as "no cursor" (first page), never an error page. */
export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * @param agentIdsNamedLikeQ agents whose name contains the search text, looked up first in the
 * small Agent table (a join per handoff row would cost a subquery for each of 100,000 rows).
 * @param dialect the search ignores ASCII case on both databases (text-match.ts)
 */
export function historyWhere(query: HistoryQuery, agentIdsNamedLikeQ: string[] = [], dialect: Dialect = "sqlite"): Prisma.HandoffWhereInput {
  const and: Prisma.HandoffWhereInput[] = [];
  if (query.status) {
    const group = StateGroups.find((g) => g.key === query.status);
    and.push({ state: group ? { in: [...group.states] } : query.status });
  }
  if (query.agent) and.push({ agentId: query.agent });
  if (query.site) and.push({ targetSite: query.site });
  if (query.from) and.push({ createdAt: { gte: new Date(`${query.from}T00:00:00Z`) } });
  if (query.to) and.push({ createdAt: { lt: new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000) } });
  if (query.q) {
    const q = query.q;
    and.push({
      OR: [
        { id: q },
        { endUserRef: containsText(dialect, q) },
        { targetSite: containsText(dialect, q.toLowerCase()) },
        ...(agentIdsNamedLikeQ.length > 0 ? [{ agentId: { in: agentIdsNamedLikeQ } }] : []),
      ],
    });
  }
  return { AND: and };
}

/** A page of the history, as the operator API's contract declares it. */
export type HistoryPage = HistoryPageResponse;

export async function queryHistory(db: Db, query: HistoryQuery): Promise<HistoryPage> {
  const pageSize = query.size ?? 50;
  const named = query.q ? await db.agent.findMany({ where: { name: containsText(db.dialect, query.q) }, select: { id: true }, take: 500 }) : [];
  const where = historyWhere(
    query,
    named.map((a) => a.id),
    db.dialect,
  );
  const after = decodeCursor(query.after);
  const before = after ? null : decodeCursor(query.before);
  let keyset: Prisma.HandoffWhereInput = {};
  // `createdAt <= t AND (createdAt < t OR id < i)`: the first term is a range the index can seek;
  // a bare OR would make SQLite merge two scans and sort.
  if (after) keyset = { createdAt: { lte: new Date(after.t) }, OR: [{ createdAt: { lt: new Date(after.t) } }, { id: { lt: after.i } }] };
  if (before) keyset = { createdAt: { gte: new Date(before.t) }, OR: [{ createdAt: { gt: new Date(before.t) } }, { id: { gt: before.i } }] };
  const direction = before ? "asc" : "desc";

  const [found, total] = await Promise.all([
    db.handoff.findMany({
      where: { AND: [where, keyset] },
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: pageSize + 1,
      include: { agent: { select: { name: true } } },
    }),
    db.handoff.count({ where }),
  ]);
  const hasMore = found.length > pageSize;
  // Paging back to the top: show the real first page (it may have gained rows meanwhile).
  if (before && !hasMore) return queryHistory(db, { ...query, before: undefined });
  const page = found.slice(0, pageSize);
  if (before) page.reverse();
  return {
    rows: page.map((row) => toHandoffSummary(parseHandoffRow(row), row.agent.name)),
    olderCursor: page.length > 0 && (before !== null || hasMore) ? encodeCursor(page[page.length - 1]) : null,
    newerCursor: (after || before) && page.length > 0 ? encodeCursor(page[0]) : null,
    total,
    pageSize,
  };
}

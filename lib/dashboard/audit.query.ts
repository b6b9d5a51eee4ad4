/** The audit log as the dashboard lists it: filters and keyset pages on `seq`, newest first. */
import { startsWithText } from "./text-match";
import { z } from "zod";
import { AuditActors } from "../audit/audit-entry";
import type { Db } from "../db/open-database";
import type { Prisma } from "../db/generated/client";
import type { ChainedRecord } from "../audit/audit-entry";
import { neutralizeText } from "../text/neutralize-text";

const Empty = z.literal("").transform(() => undefined);
const opt = <T extends z.ZodType>(schema: T) => z.union([Empty, schema]).optional();
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));

export const AuditQuerySchema = z.object({
  actor: opt(z.enum(AuditActors)),
  decision: opt(z.enum(["allow", "deny", "info"])),
  action: opt(
    z
      .string()
      .trim()
      .max(64)
      .regex(/^[a-z_.]+$/, "letters, dots and underscores"),
  ),
  handoff: opt(z.string().trim().max(64)),
  agent: opt(z.string().trim().max(64)),
  from: opt(Day),
  to: opt(Day),
  /** Show rows with seq below this (older page). */
  below: opt(z.coerce.number().int().positive()),
  /** Show rows with seq above this (newer page). */
  above: opt(z.coerce.number().int().nonnegative()),
});
export type AuditQuery = z.output<typeof AuditQuerySchema>;

/**
 * An audit row as the dashboard lists it: the chained record with a short hash instead of the
 * link, and the people and agents it names by email and name (the ids stay for hover and links).
 */
export type AuditRow = Omit<ChainedRecord, "prevHash"> & { hashPrefix: string; operatorEmail: string | null; agentName: string | null };

export interface AuditPage {
  rows: AuditRow[];
  olderBelow: number | null;
  newerAbove: number | null;
}

const PAGE = 50;

export async function queryAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (query.actor) and.push({ actor: query.actor });
  if (query.decision) and.push({ decision: query.decision });
  // An action prefix: "handoff." lists every lifecycle event.
  if (query.action) and.push({ action: startsWithText(db.dialect, query.action) });
  if (query.handoff) and.push({ handoffId: query.handoff });
  if (query.agent) and.push({ agentId: query.agent });
  if (query.from) and.push({ at: { gte: new Date(`${query.from}T00:00:00Z`) } });
  if (query.to) and.push({ at: { lt: new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000) } });
  const isNewer = query.above !== undefined && query.below === undefined;
  if (query.below !== undefined) and.push({ seq: { lt: query.below } });
  else if (isNewer) and.push({ seq: { gt: query.above } });
  const found = await db.auditEvent.findMany({ where: { AND: and }, orderBy: { seq: isNewer ? "asc" : "desc" }, take: PAGE + 1 });
  const hasMore = found.length > PAGE;
  if (isNewer && !hasMore) return queryAudit(db, { ...query, above: undefined });
  const page = found.slice(0, PAGE);
  if (isNewer) page.reverse();
  const names = await namesFor(db, page);
  return {
    rows: page.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      decision: e.decision,
      reason: e.reason === null ? null : neutralizeText(e.reason),
      handoffId: e.handoffId,
      agentId: e.agentId,
      keyId: e.keyId,
      operatorId: e.operatorId,
      endUserRef: e.endUserRef === null ? null : neutralizeText(e.endUserRef),
      targetOrigin: e.targetOrigin,
      details: neutralizeText(e.details),
      hashPrefix: e.hash.slice(0, 12),
      operatorEmail: e.operatorId ? (names.operators.get(e.operatorId) ?? null) : null,
      agentName: e.agentId ? (names.agents.get(e.agentId) ?? null) : null,
    })),
    olderBelow: page.length > 0 && (isNewer || hasMore) ? page[page.length - 1].seq : null,
    newerAbove: page.length > 0 && (query.below !== undefined || isNewer) ? page[0].seq : null,
  };
}

/** Emails and names for the ids on one page: two small lookups, not a join per row. */
export async function namesFor(db: Db, rows: { operatorId: string | null; agentId: string | null }[]) {
  const ids = (key: "operatorId" | "agentId") => [...new Set(rows.flatMap((r) => (r[key] ? [r[key]] : [])))];
  const [operators, agents] = await Promise.all([
    db.operator.findMany({ where: { id: { in: ids("operatorId") } }, select: { id: true, email: true } }),
    db.agent.findMany({ where: { id: { in: ids("agentId") } }, select: { id: true, name: true } }),
  ]);
  return { operators: new Map(operators.map((o) => [o.id, o.email])), agents: new Map(agents.map((a) => [a.id, a.name])) };
}

/**
 * Persistence of handoffs, and the one place that applies a lifecycle transition: a conditional
 * update on the previous state plus its audit row, in one transaction of the single writer.
 * Nothing else writes the `state` column.
 */
import { EventEmitter } from "node:events";
import { z } from "zod";
import type { AuditEntry } from "../audit/audit-entry";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db/open-database";
import type { Handoff } from "../db/generated/client";
import { AppError } from "../errors/app-error";
import { type Actor, type HandoffEvent, transition } from "../lifecycle/transition";
import { ActiveStates, HandoffStates, type HandoffState } from "../lifecycle/states";
import { CookieMetaSchema, type CookieMeta } from "../protocol/api";
import type { Clock } from "../time/clock";

/** The columns a row holds as text that Baton reads as values: the state and the JSON lists. */
type ParsedColumns = "state" | "cookieMeta" | "identityProviders" | "handOverSites";

/** A handoff as Baton reads it: the state with its enum, the JSON columns with their schemas. */
export type Parsed<T extends Handoff> = Omit<T, ParsedColumns> & {
  state: HandoffState;
  /** What was handed over (metadata only), once captured. */
  cookieMeta: CookieMeta[] | null;
  identityProviders: string[];
  handOverSites: string[];
};
export type HandoffRow = Parsed<Handoff>;

const StateColumn = z.enum(HandoffStates);
const CookieMetaColumn = z.array(CookieMetaSchema).max(300);
const SitesColumn = z.array(z.string().max(253)).max(20);

/** Reads a JSON column with its schema; a column that does not parse is a broken row, never a guess. */
function jsonColumn<T>(row: Handoff, column: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("INTERNAL", `handoff ${row.id}: ${column} is not JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("INTERNAL", `handoff ${row.id}: ${column} does not match its schema`);
  return parsed.data;
}

/** The state column read with the lifecycle's enum (also for a query that groups by it). */
export function parseHandoffState(text: string): HandoffState {
  const state = StateColumn.safeParse(text);
  if (!state.success) throw new AppError("INTERNAL", "a handoff row has an unknown state");
  return state.data;
}

/** The one parse of a handoff row; every row the store hands out has been through it. */
export function parseHandoffRow<T extends Handoff>(row: T): Parsed<T> {
  return {
    ...row,
    state: parseHandoffState(row.state),
    cookieMeta: row.cookieMeta === null ? null : jsonColumn(row, "cookieMeta", row.cookieMeta, CookieMetaColumn),
    identityProviders: jsonColumn(row, "identityProviders", row.identityProviders, SitesColumn),
    handOverSites: jsonColumn(row, "handOverSites", row.handOverSites, SitesColumn),
  };
}

const ACTIVE_STATES: HandoffState[] = [...ActiveStates];

export interface HandoffEvents {
  state: [row: HandoffRow, previous: HandoffState];
  reuse: [row: HandoffRow];
}

export type ApplyResult =
  { ok: true; row: HandoffRow; previous: HandoffState } | { ok: false; reason: "not_found" | "invalid_transition" | "guard"; row: HandoffRow | null };

export interface ApplyOptions {
  actor: Actor;
  /** Extra precondition checked on the row inside the transaction. */
  guard?: (row: HandoffRow) => boolean;
  /** Extra columns written with the transition (never `state`). */
  data?: Partial<Pick<HandoffRow, "deviceHash" | "deviceSummary" | "deviceIp" | "cookieMeta">>;
  audit?: Pick<AuditEntry, "details" | "reason" | "operatorId">;
}

/** Audit action names for each event. */
const actionFor: Record<HandoffEvent["type"], string> = {
  open: "handoff.opened",
  approve: "handoff.approved",
  deny: "handoff.denied",
  go_live: "handoff.live",
  capture: "handoff.captured",
  complete: "handoff.completed",
  cancel: "handoff.cancelled",
  expire: "handoff.expired",
  fail: "handoff.failed",
};

export function createHandoffStore(db: Db, audit: AuditLog, clock: Clock) {
  const events = new EventEmitter<HandoffEvents>();

  async function applyTransition(id: string, event: HandoffEvent, options: ApplyOptions): Promise<ApplyResult> {
    const result = await audit.write(async (tx, append): Promise<ApplyResult> => {
      const found = await tx.handoff.findUnique({ where: { id } });
      if (!found) return { ok: false, reason: "not_found", row: null };
      const row = parseHandoffRow(found);
      const previous = row.state;
      if (options.guard && !options.guard(row)) return { ok: false, reason: "guard", row };
      const step = transition(previous, event);
      if (!step.ok) return { ok: false, reason: "invalid_transition", row };
      const now = clock.now();
      const stamps = Object.fromEntries(step.stamps.map((s) => [s, now]));
      const { count } = await tx.handoff.updateMany({
        where: { id, state: previous },
        data: { ...columnsOf(options.data), ...stamps, state: step.next, ...(step.endReason ? { endReason: step.endReason } : {}) },
      });
      if (count !== 1) return { ok: false, reason: "invalid_transition", row };
      await append({
        actor: options.actor,
        action: actionFor[event.type],
        decision: "allow",
        handoffId: id,
        agentId: row.agentId,
        keyId: row.keyId,
        endUserRef: row.endUserRef,
        targetOrigin: row.targetOrigin,
        reason: step.endReason,
        ...options.audit,
        details: { from: previous, to: step.next, ...options.audit?.details },
      });
      const updated = parseHandoffRow(await tx.handoff.findUniqueOrThrow({ where: { id } }));
      return { ok: true, row: updated, previous };
    });
    if (result.ok) events.emit("state", result.row, result.previous);
    return result;
  }

  return {
    events,
    applyTransition,
    findById: async (id: string) => orNull(await db.handoff.findUnique({ where: { id } })),
    listActive: async () => (await db.handoff.findMany({ where: { state: { in: ACTIVE_STATES } } })).map(parseHandoffRow),
    listActiveOfRevokedAgents: async () =>
      (await db.handoff.findMany({ where: { state: { in: ACTIVE_STATES }, agent: { revokedAt: { not: null } } } })).map(parseHandoffRow),
    findByTokenHash: async (tokenHash: string) => orNull(await db.handoff.findUnique({ where: { tokenHash }, include: { agent: true } })),
    /** The lifecycle state of each of these handoffs (the relay's re-read). */
    findStates: async (ids: string[]) =>
      (await db.handoff.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, endReason: true } })).map((r) => ({
        ...r,
        state: parseHandoffState(r.state),
      })),
    // Presence, kept on the row so every node sees it. Not lifecycle changes, so no audit row; in
    // the writer's queue all the same (SQLite has one connection, shared with open transactions).
    /** The phone's latest activity on a handoff still in progress. */
    noteActivity: (id: string, at: Date) =>
      audit.write((tx) => tx.handoff.updateMany({ where: { id, state: { in: ACTIVE_STATES } }, data: { lastActivityAt: at } })),
    /** When the last agent socket closed (`null`: an agent is connected again). */
    noteAgentGone: (id: string, at: Date | null) =>
      audit.write((tx) => tx.handoff.updateMany({ where: { id, state: { in: ACTIVE_STATES } }, data: { agentGoneAt: at } })),
    /** Handoffs still in progress whose agent has been gone since `before` or longer. */
    listAgentGoneSince: async (before: Date) =>
      (await db.handoff.findMany({ where: { state: { in: ACTIVE_STATES }, agentGoneAt: { lte: before } } })).map(parseHandoffRow),
  };
}

function orNull<T extends Handoff>(row: T | null): Parsed<T> | null {
  return row ? parseHandoffRow(row) : null;
}

/** The extra columns as stored: the cookie metadata as its JSON text. */
function columnsOf(data: ApplyOptions["data"]) {
  if (!data) return {};
  const { cookieMeta, ...rest } = data;
  return cookieMeta === undefined ? rest : { ...rest, cookieMeta: cookieMeta === null ? null : JSON.stringify(cookieMeta) };
}

export type HandoffStore = ReturnType<typeof createHandoffStore>;

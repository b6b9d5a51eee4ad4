/**
 * Persistence of handoffs, and the one place that applies a lifecycle transition: a conditional
 * update on the previous state plus its audit row, in one transaction of the single writer.
 * Nothing else writes the `state` column.
 */
import { EventEmitter } from "node:events";
import type { AuditEntry } from "../audit/audit-entry";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db/open-database";
import type { Handoff } from "../db/generated/client";
import { type Actor, type HandoffEvent, transition } from "../lifecycle/transition";
import { ActiveStates, type HandoffState } from "../lifecycle/states";
import type { Clock } from "../time/clock";

export type HandoffRow = Handoff;

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
      const row = await tx.handoff.findUnique({ where: { id } });
      if (!row) return { ok: false, reason: "not_found", row: null };
      const previous = row.state as HandoffState;
      if (options.guard && !options.guard(row)) return { ok: false, reason: "guard", row };
      const step = transition(previous, event);
      if (!step.ok) return { ok: false, reason: "invalid_transition", row };
      const now = clock.now();
      const stamps = Object.fromEntries(step.stamps.map((s) => [s, now]));
      const { count } = await tx.handoff.updateMany({
        where: { id, state: previous },
        data: { ...options.data, ...stamps, state: step.next, ...(step.endReason ? { endReason: step.endReason } : {}) },
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
      const updated = await tx.handoff.findUniqueOrThrow({ where: { id } });
      return { ok: true, row: updated, previous };
    });
    if (result.ok) events.emit("state", result.row, result.previous);
    return result;
  }

  return {
    events,
    applyTransition,
    findById: (id: string) => db.handoff.findUnique({ where: { id } }),
    /** The lifecycle state of each of these handoffs (the relay's re-read). */
    findStates: (ids: string[]) => db.handoff.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, endReason: true } }),
    listActive: () => db.handoff.findMany({ where: { state: { in: ACTIVE_STATES } } }),
    listActiveOfRevokedAgents: () => db.handoff.findMany({ where: { state: { in: ACTIVE_STATES }, agent: { revokedAt: { not: null } } } }),
    findByTokenHash: (tokenHash: string) => db.handoff.findUnique({ where: { tokenHash }, include: { agent: true } }),
    // Presence, kept on the row so every node sees it. Not lifecycle changes, so no audit row; in
    // the writer's queue all the same (SQLite has one connection, shared with open transactions).
    /** The phone's latest activity on a handoff still in progress. */
    noteActivity: (id: string, at: Date) =>
      audit.write((tx) => tx.handoff.updateMany({ where: { id, state: { in: ACTIVE_STATES } }, data: { lastActivityAt: at } })),
    /** When the last agent socket closed (`null`: an agent is connected again). */
    noteAgentGone: (id: string, at: Date | null) =>
      audit.write((tx) => tx.handoff.updateMany({ where: { id, state: { in: ACTIVE_STATES } }, data: { agentGoneAt: at } })),
    /** Handoffs still in progress whose agent has been gone since `before` or longer. */
    listAgentGoneSince: (before: Date) => db.handoff.findMany({ where: { state: { in: ACTIVE_STATES }, agentGoneAt: { lte: before } } }),
  };
}

export type HandoffStore = ReturnType<typeof createHandoffStore>;

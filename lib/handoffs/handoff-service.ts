/**
 * What agents and phones can do to a handoff. Every operation checks who is asking against the
 * row (ownership, device binding) and moves state only through `applyTransition`.
 */
import type { AgentPrincipal } from "../agents/agent.store";
import type { AuditLog } from "../audit/audit-log";
import { newConfirmationCode, newId, newLinkToken, sha256Hex } from "../auth/secrets";
import type { Config } from "../config/config";
import { AppError } from "../errors/app-error";
import { checkHandoffScope } from "./check-handoff-scope";
import type { BlockedReport, CookieMeta, CreateHandoffRequest, CreateHandoffResponse, HandoffStatus, ReportRequest } from "../protocol/api";
import { checkTarget } from "../policy/target";
import { handoffTimes } from "./handoff-times";
import { ActiveStates, isStreaming } from "../lifecycle/states";
import type { Clock } from "../time/clock";
import type { SharedCounters } from "../cluster/shared-counters";
import type { Logger } from "../logging/logger";
import type { HandoffRow, HandoffStore } from "./handoff.store";
import { createLinkActions, refuseTransition } from "./link-actions";

export type { DeviceProof } from "./link-actions";

/**
 * How often the phone's node writes the latest activity to the row (the idle check on another
 * node reads it, allowing for this much it may not have seen yet).
 */
export function activityFlushMs(config: Pick<Config, "sessionIdleSeconds">): number {
  return Math.min(5_000, (config.sessionIdleSeconds * 1000) / 4);
}

export function createHandoffService(deps: { config: Config; store: HandoffStore; audit: AuditLog; clock: Clock; counters: SharedCounters; logger: Logger }) {
  const { config, store, audit, clock, counters, logger } = deps;

  async function create(agent: AgentPrincipal, request: CreateHandoffRequest): Promise<CreateHandoffResponse> {
    const target = checkTarget(request.loginUrl, agent.allowedOrigins);
    if (!target.ok) {
      await audit.append({
        actor: "agent",
        action: "handoff.create_refused",
        decision: "deny",
        reason: `target_${target.reason}`,
        agentId: agent.agentId,
        keyId: agent.keyId,
        endUserRef: request.endUserRef,
      });
      throw new AppError("ORIGIN_NOT_ALLOWED", `target ${target.reason}`, { reason: target.reason });
    }
    await checkHandoffScope(agent, request, audit);
    const ttl = Math.min(request.ttlSeconds ?? config.linkTtlSeconds, agent.maxTtlSeconds, config.linkTtlSeconds);
    const token = newLinkToken();
    const id = newId("hnd");
    const code = newConfirmationCode();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    await audit.write(async (tx, append) => {
      const active = await tx.handoff.count({ where: { agentId: agent.agentId, state: { in: [...ActiveStates] } } });
      if (active >= agent.maxConcurrent) {
        await append({
          actor: "agent",
          action: "handoff.create_refused",
          decision: "deny",
          reason: "too_many_handoffs",
          agentId: agent.agentId,
          keyId: agent.keyId,
        });
        throw new AppError("TOO_MANY_HANDOFFS", `agent has ${active} active handoffs`);
      }
      await tx.handoff.create({
        data: {
          id,
          agentId: agent.agentId,
          keyId: agent.keyId,
          state: "pending",
          tokenHash: sha256Hex(token),
          loginUrl: target.url,
          targetOrigin: target.origin,
          targetSite: target.site,
          identityProviders: JSON.stringify(request.identityProviders),
          handOverSites: JSON.stringify(request.handOverSites),
          reason: request.reason,
          endUserRef: request.endUserRef ?? null,
          confirmCode: code,
          successKind: request.successKind,
          includeStorage: request.includeStorage,
          createdAt: now,
          expiresAt,
        },
      });
      await append({
        actor: "agent",
        action: "handoff.created",
        decision: "allow",
        handoffId: id,
        agentId: agent.agentId,
        keyId: agent.keyId,
        endUserRef: request.endUserRef,
        targetOrigin: target.origin,
        details: {
          ttlSeconds: ttl,
          successKind: request.successKind,
          includeStorage: request.includeStorage,
          identityProviders: request.identityProviders,
          handOverSites: request.handOverSites,
          tokenHashPrefix: sha256Hex(token).slice(0, 8),
        },
      });
    });
    return {
      id,
      token,
      linkPath: `/h/${token}`,
      confirmationCode: code,
      expiresAt: expiresAt.toISOString(),
      targetOrigin: target.origin,
      targetSite: target.site,
      pollInterval: config.pollIntervalSeconds,
      sessionIdleSeconds: config.sessionIdleSeconds,
    };
  }

  async function ownedBy(agent: AgentPrincipal, id: string): Promise<HandoffRow> {
    const row = await store.findById(id);
    // Someone else's handoff looks exactly like a missing one.
    if (!row || row.agentId !== agent.agentId) throw new AppError("NOT_FOUND", "no such handoff for this agent");
    return row;
  }

  async function status(agent: AgentPrincipal, id: string, isPoll = false): Promise<HandoffStatus> {
    const row = await ownedBy(agent, id);
    if (isPoll) {
      const now = clock.now().getTime();
      // Shared, so polls spread over several nodes are still one agent polling.
      const previous = await counters.swap(`poll:${id}`, now, (config.pollIntervalSeconds + 60) * 1000);
      if (previous !== null && now - previous < config.pollIntervalSeconds * 1000 - 250) {
        throw new AppError("SLOW_DOWN", "polled too fast", { interval: config.pollIntervalSeconds });
      }
    }
    return toStatus(row);
  }

  async function report(agent: AgentPrincipal, id: string, request: ReportRequest): Promise<HandoffStatus> {
    const owned = await ownedBy(agent, id);
    if (request.event === "released") {
      if (owned.state !== "completed") throw new AppError("INVALID_TRANSITION", "release before completion", { state: owned.state });
      await audit.append({
        actor: "agent",
        action: "handoff.released",
        decision: "info",
        handoffId: id,
        agentId: owned.agentId,
        keyId: agent.keyId,
        endUserRef: owned.endUserRef,
        targetOrigin: owned.targetOrigin,
      });
      return toStatus(owned);
    }
    const options = { actor: "agent" as const };
    const result =
      request.event === "live"
        ? await store.applyTransition(id, { type: "go_live" }, options)
        : request.event === "captured"
          ? await store.applyTransition(
              id,
              { type: "capture" },
              { ...options, data: { cookieMeta: request.cookies }, audit: { details: cookieAudit(request.cookies) } },
            )
          : request.event === "completed"
            ? await store.applyTransition(id, { type: "complete" }, options)
            : request.event === "failed"
              ? await store.applyTransition(id, { type: "fail", reason: request.reason }, options)
              : request.event === "idle"
                ? await store.applyTransition(id, { type: "expire", reason: "idle" }, options)
                : await store.applyTransition(id, { type: "cancel", by: "agent" }, options);
    if (!result.ok) refuseTransition(result);
    return toStatus(result.row);
  }

  /** Audits a request the worker refused in the handoff browser (origin only). */
  async function recordBlocked(agent: AgentPrincipal, id: string, report: BlockedReport): Promise<void> {
    const row = await ownedBy(agent, id);
    await audit.append({
      actor: "agent",
      action: "navigation.blocked",
      decision: "deny",
      reason: report.reason,
      handoffId: id,
      agentId: row.agentId,
      keyId: agent.keyId,
      endUserRef: row.endUserRef,
      targetOrigin: row.targetOrigin,
      details: { blockedOrigin: report.origin, isNavigation: report.isNavigation, source: report.source },
    });
  }

  /**
   * Ends every active handoff whose agent was revoked (by this server or by the CLI on the same
   * database). The sweep calls it every second; their sockets close with them.
   */
  async function endRevoked(): Promise<number> {
    const rows = await store.listActiveOfRevokedAgents();
    let ended = 0;
    for (const row of rows) {
      const result = await store.applyTransition(row.id, { type: "fail", reason: "agent_revoked" }, { actor: "system" });
      if (result.ok) ended += 1;
    }
    return ended;
  }

  /** Moves every handoff past its deadline to `expired`. Returns how many. */
  async function expireDue(): Promise<number> {
    const now = clock.now();
    let expired = 0;
    for (const row of await store.listActive()) {
      const reason = deadlineReason(row, now);
      if (!reason) continue;
      const result = await store.applyTransition(row.id, { type: "expire", reason }, { actor: "system", guard: (r) => deadlineReason(r, now) !== null });
      if (result.ok) expired += 1;
    }
    // Forget activity of handoffs that are over by any measure.
    const horizon = now.getTime() - (config.sessionMaxSeconds + config.sessionIdleSeconds) * 1000;
    for (const [id, at] of lastPhoneActivity) if (at < horizon) lastPhoneActivity.delete(id);
    for (const [id, at] of lastWritten) if (at < horizon) lastWritten.delete(id);
    return expired;
  }

  /**
   * When the phone last sent anything on a handoff's stream. Sealed input and frame acks look the
   * same to the relay, and both stop when the person stops (a still page sends no frames to ack).
   * Exact on the phone's node; written to the row at most every `flushMs` for the other nodes.
   */
  const lastPhoneActivity = new Map<string, number>();
  const lastWritten = new Map<string, number>();
  const flushMs = activityFlushMs(config);

  function touch(handoffId: string): void {
    const now = clock.now().getTime();
    lastPhoneActivity.set(handoffId, now);
    if (now - (lastWritten.get(handoffId) ?? 0) < flushMs) return;
    lastWritten.set(handoffId, now);
    store.noteActivity(handoffId, new Date(now)).catch((error: Error) => {
      // Another node then sees older activity; this node's own idle check still has the exact time.
      logger.warn("could not record phone activity", { handoffId, error: error.message });
    });
  }

  function deadlineReason(row: HandoffRow, now: Date): "link_ttl" | "session_cap" | "idle" | null {
    if (row.approvedAt) {
      if (now.getTime() >= row.approvedAt.getTime() + config.sessionMaxSeconds * 1000) return "session_cap";
      // This node's own time is exact when it is the newest; a time another node wrote to the row
      // may be up to one flush behind that node's phone, so it counts as that much later: never end early.
      const own = lastPhoneActivity.get(row.id) ?? 0;
      const written = row.lastActivityAt?.getTime() ?? 0;
      const last = Math.max(own >= written ? own : written + flushMs, row.approvedAt.getTime());
      return isStreaming(row.state) && now.getTime() >= last + config.sessionIdleSeconds * 1000 ? "idle" : null;
    }
    return now >= row.expiresAt ? "link_ttl" : null;
  }

  const links = createLinkActions({ store, audit, clock, deadlineReason });

  return { create, status, report, recordBlocked, endRevoked, expireDue, ...links, deadlineReason, touch };
}

function cookieAudit(cookies: CookieMeta[]) {
  return { cookieCount: cookies.length, cookies: cookies.map((c) => `${c.name}@${c.domain}`).slice(0, 50) };
}

export function toStatus(row: HandoffRow): HandoffStatus {
  return {
    id: row.id,
    state: row.state,
    targetOrigin: row.targetOrigin,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ...handoffTimes(row),
    endReason: row.endReason,
    reuseDetected: row.reuseAttempts > 0,
    cookies: row.cookieMeta?.map((c) => ({ name: c.name, domain: c.domain })) ?? null,
  };
}

export type HandoffService = ReturnType<typeof createHandoffService>;

/**
 * What agents and phones can do to a handoff. Every operation checks who is asking against the
 * row (ownership, device binding) and moves state only through `applyTransition`.
 */
import type { AgentPrincipal } from "../agents/agent.store";
import type { AuditLog } from "../audit/audit-log";
import { newConfirmationCode, newId, newLinkToken, sameDigest, sha256Hex } from "../auth/secrets";
import type { Config } from "../config/config";
import { AppError } from "../errors/app-error";
import { checkHandoffScope } from "./check-handoff-scope";
import type { BlockedReport, CookieMeta, CreateHandoffRequest, CreateHandoffResponse, HandoffStatus, ReportRequest } from "../protocol/api";
import { checkTarget } from "../policy/target";
import { handoffTimes } from "./handoff-times";
import { isTerminal, type HandoffState } from "../lifecycle/states";
import type { Clock } from "../time/clock";
import type { ApplyResult, HandoffRow, HandoffStore } from "./handoff.store";

const ACTIVE: HandoffState[] = ["pending", "opened", "approved", "live", "captured"];

export interface DeviceProof {
  handoffId: string;
  deviceId: string;
}

export function createHandoffService(deps: { config: Config; store: HandoffStore; audit: AuditLog; clock: Clock }) {
  const { config, store, audit, clock } = deps;
  const lastPoll = new Map<string, number>();

  function refuse(result: Extract<ApplyResult, { ok: false }>): never {
    if (result.reason === "not_found") throw new AppError("NOT_FOUND", "no such handoff");
    throw new AppError("INVALID_TRANSITION", `refused in state ${result.row?.state}`, { state: result.row?.state });
  }

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
      const active = await tx.handoff.count({ where: { agentId: agent.agentId, state: { in: ACTIVE } } });
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
      const previous = lastPoll.get(id);
      lastPoll.set(id, now);
      if (previous !== undefined && now - previous < config.pollIntervalSeconds * 1000 - 250) {
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
              { ...options, data: { cookieMeta: JSON.stringify(request.cookies) }, audit: { details: cookieAudit(request.cookies) } },
            )
          : request.event === "completed"
            ? await store.applyTransition(id, { type: "complete" }, options)
            : request.event === "failed"
              ? await store.applyTransition(id, { type: "fail", reason: request.reason }, options)
              : request.event === "idle"
                ? await store.applyTransition(id, { type: "expire", reason: "idle" }, options)
                : await store.applyTransition(id, { type: "cancel", by: "agent" }, options);
    if (!result.ok) refuse(result);
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
    return expired;
  }

  /**
   * When the phone last sent anything on a handoff's stream. Sealed input and frame acks look the
   * same to the relay, and both stop when the person stops (a still page sends no frames to ack).
   * Kept in memory: after a restart the approval time stands in.
   */
  const lastPhoneActivity = new Map<string, number>();

  function touch(handoffId: string): void {
    lastPhoneActivity.set(handoffId, clock.now().getTime());
  }

  function deadlineReason(row: HandoffRow, now: Date): "link_ttl" | "session_cap" | "idle" | null {
    if (row.approvedAt) {
      if (now.getTime() >= row.approvedAt.getTime() + config.sessionMaxSeconds * 1000) return "session_cap";
      const last = Math.max(lastPhoneActivity.get(row.id) ?? 0, row.approvedAt.getTime());
      const isStreaming = row.state === "approved" || row.state === "live";
      return isStreaming && now.getTime() >= last + config.sessionIdleSeconds * 1000 ? "idle" : null;
    }
    return now >= row.expiresAt ? "link_ttl" : null;
  }

  // ---- the phone's side -------------------------------------------------------------------

  /** Claims a link for this device. Exactly one device wins; any later claim is refused and reported. */
  /** @param deviceIp kept only when the operator turned RECORD_DEVICE_IP on */
  async function claim(token: string, deviceId: string, deviceSummary: string, deviceIp: string | null = null): Promise<HandoffRow> {
    const row = await store.findByTokenHash(sha256Hex(token));
    const now = clock.now();
    // An unknown token names no handoff, so there is nothing to audit it against (guesses are rate limited per IP).
    if (!row) throw new AppError("LINK_INVALID", "claim of unknown link");
    const deviceHash = sha256Hex(deviceId);
    if (isTerminal(row.state as HandoffState) || deadlineReason(row, now)) return refuseUnusable(row, deviceHash, deviceSummary);
    const result = await store.applyTransition(
      row.id,
      { type: "open" },
      {
        actor: "end_user",
        guard: (r) => r.expiresAt > now,
        data: { deviceHash, deviceSummary, deviceIp },
        audit: { details: { device: deviceSummary } },
      },
    );
    if (result.ok) return result.row;
    const current = result.row;
    if (current?.deviceHash && sameDigest(current.deviceHash, deviceHash) && !isTerminal(current.state as HandoffState)) return current;
    if (!current) throw new AppError("LINK_INVALID", "link vanished during claim");
    if (isTerminal(current.state as HandoffState) || deadlineReason(current, now)) return refuseUnusable(current, deviceHash, deviceSummary);
    await reportReuse(current, deviceSummary, "claimed_by_another_device");
    throw new AppError("LINK_IN_USE", "second device");
  }

  /**
   * A used or expired link gets the same answer as an unknown one, but the attempt is audited.
   * From a device other than the one it was bound to, it means the link leaked: that is reported
   * to the agent like any reuse (`reuseDetected` in its status).
   */
  async function refuseUnusable(row: HandoffRow, deviceHash: string, deviceSummary: string): Promise<never> {
    const isOtherDevice = row.deviceHash !== null && !sameDigest(row.deviceHash, deviceHash);
    if (isOtherDevice) {
      await reportReuse(row, deviceSummary, "claimed_after_end");
    } else {
      await audit.append({
        actor: "end_user",
        action: "link.claim_refused",
        decision: "deny",
        reason: isTerminal(row.state as HandoffState) ? `link_${row.state}` : "link_expired",
        handoffId: row.id,
        agentId: row.agentId,
        keyId: row.keyId,
        endUserRef: row.endUserRef,
        targetOrigin: row.targetOrigin,
        details: { device: deviceSummary },
      });
    }
    throw new AppError("LINK_INVALID", "claim of unusable link");
  }

  async function reportReuse(row: HandoffRow, deviceSummary: string, reason: "claimed_by_another_device" | "claimed_after_end") {
    const updated = await audit.write(async (tx, append) => {
      const next = await tx.handoff.update({ where: { id: row.id }, data: { reuseAttempts: { increment: 1 } } });
      await append({
        actor: "end_user",
        action: "link.reuse_detected",
        decision: "deny",
        reason,
        handoffId: row.id,
        agentId: row.agentId,
        keyId: row.keyId,
        endUserRef: row.endUserRef,
        targetOrigin: row.targetOrigin,
        details: { device: deviceSummary, attempts: next.reuseAttempts },
      });
      return next;
    });
    store.events.emit("reuse", updated);
  }

  /** The handoff bound to this device, or an error that does not tell the two cases apart. */
  async function boundRow(proof: DeviceProof): Promise<HandoffRow> {
    const row = await store.findById(proof.handoffId);
    if (!row || !row.deviceHash || !sameDigest(row.deviceHash, sha256Hex(proof.deviceId))) throw new AppError("FORBIDDEN", "device not bound");
    return row;
  }

  /** Ended (any terminal state) or past its deadline: for a link, the same as never issued. */
  const isOver = (row: HandoffRow) => isTerminal(row.state as HandoffState) || deadlineReason(row, clock.now()) !== null;

  /**
   * The phone's decision on a link. Unknown, used and expired links get the one answer every link
   * route gives (LINK_INVALID), whichever device asks, also when the handoff ends while deciding.
   */
  async function decideByLink(token: string, deviceId: string, decision: "approve" | "deny" | "cancel"): Promise<HandoffRow> {
    const found = await store.findByTokenHash(sha256Hex(token));
    if (!found || isOver(found)) throw new AppError("LINK_INVALID", "decision on unknown or ended link");
    const row = await boundRow({ handoffId: found.id, deviceId });
    const event =
      decision === "approve"
        ? ({ type: "approve" } as const)
        : decision === "deny"
          ? ({ type: "deny" } as const)
          : ({ type: "cancel", by: "end_user" } as const);
    const result = await store.applyTransition(row.id, event, { actor: "end_user", guard: (r) => !deadlineReason(r, clock.now()) });
    if (result.ok) return result.row;
    if (!result.row || isOver(result.row)) throw new AppError("LINK_INVALID", "link ended during decision");
    refuse(result);
  }

  return { create, status, report, recordBlocked, endRevoked, expireDue, claim, boundRow, decideByLink, deadlineReason, touch };
}

function cookieAudit(cookies: CookieMeta[]) {
  return { cookieCount: cookies.length, cookies: cookies.map((c) => `${c.name}@${c.domain}`).slice(0, 50) };
}

export function toStatus(row: HandoffRow): HandoffStatus {
  let cookies: { name: string; domain: string }[] | null = null;
  if (row.cookieMeta) {
    const parsed: unknown = JSON.parse(row.cookieMeta);
    cookies = Array.isArray(parsed) ? parsed.map((c: { name: string; domain: string }) => ({ name: String(c.name), domain: String(c.domain) })) : null;
  }
  return {
    id: row.id,
    state: row.state as HandoffState,
    targetOrigin: row.targetOrigin,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ...handoffTimes(row),
    endReason: row.endReason,
    reuseDetected: row.reuseAttempts > 0,
    cookies,
  };
}

export type HandoffService = ReturnType<typeof createHandoffService>;

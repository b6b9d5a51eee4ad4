/**
 * What the phone does with a link: claim it for one device, then decide. Unknown, used and expired
 * links all get one answer; a claim from a second device is refused, audited and reported to the agent.
 */
import type { AuditLog } from "../audit/audit-log";
import { sameDigest, sha256Hex } from "../auth/secrets";
import { AppError } from "../errors/app-error";
import { isTerminal } from "../lifecycle/states";
import type { Clock } from "../time/clock";
import { type ApplyResult, type HandoffRow, type HandoffStore, parseHandoffRow } from "./handoff.store";

export interface DeviceProof {
  handoffId: string;
  deviceId: string;
}

/** A transition the store refused, as the error every caller answers with. */
export function refuseTransition(result: Extract<ApplyResult, { ok: false }>): never {
  if (result.reason === "not_found") throw new AppError("NOT_FOUND", "no such handoff");
  throw new AppError("INVALID_TRANSITION", `refused in state ${result.row?.state}`, { state: result.row?.state });
}

export function createLinkActions(deps: {
  store: HandoffStore;
  audit: AuditLog;
  clock: Clock;
  deadlineReason: (row: HandoffRow, now: Date) => "link_ttl" | "session_cap" | "idle" | null;
}) {
  const { store, audit, clock, deadlineReason } = deps;

  /** Claims a link for this device. Exactly one device wins; any later claim is refused and reported. */
  /** @param deviceIp kept only when the operator turned RECORD_DEVICE_IP on */
  async function claim(token: string, deviceId: string, deviceSummary: string, deviceIp: string | null = null): Promise<HandoffRow> {
    const row = await store.findByTokenHash(sha256Hex(token));
    const now = clock.now();
    // An unknown token names no handoff, so there is nothing to audit it against (guesses are rate limited per IP).
    if (!row) throw new AppError("LINK_INVALID", "claim of unknown link");
    const deviceHash = sha256Hex(deviceId);
    if (isTerminal(row.state) || deadlineReason(row, now)) return refuseUnusable(row, deviceHash, deviceSummary);
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
    if (current?.deviceHash && sameDigest(current.deviceHash, deviceHash) && !isTerminal(current.state)) return current;
    if (!current) throw new AppError("LINK_INVALID", "link vanished during claim");
    if (isTerminal(current.state) || deadlineReason(current, now)) return refuseUnusable(current, deviceHash, deviceSummary);
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
        reason: isTerminal(row.state) ? `link_${row.state}` : "link_expired",
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
      const next = parseHandoffRow(await tx.handoff.update({ where: { id: row.id }, data: { reuseAttempts: { increment: 1 } } }));
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
  const isOver = (row: HandoffRow) => isTerminal(row.state) || deadlineReason(row, clock.now()) !== null;

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
    refuseTransition(result);
  }

  return { claim, boundRow, decideByLink };
}

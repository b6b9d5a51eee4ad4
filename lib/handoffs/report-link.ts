/**
 * The person who got a link reports it ("I didn't expect this", "someone else used it"). Only an
 * audit row, `link.reported`, with the handoff's agent so operators can find the agent behind it;
 * the handoff itself is left as it is (Deny and Cancel are the ways to stop it).
 *
 * Holding a link that is still running is standing enough (the device it was claimed on may not be
 * the reporter's). An ended link is reported only from the device that used it — the one that sees
 * its end screen — so for anyone else it keeps the one answer every unusable link gets.
 */
import type { AuditLog } from "../audit/audit-log";
import { sameDigest, sha256Hex } from "../auth/secrets";
import { AppError } from "../errors/app-error";
import { isTerminal } from "../lifecycle/states";
import type { ReportLinkRequest } from "../protocol/link-api";
import type { Clock } from "../time/clock";
import type { HandoffService } from "./handoff-service";
import type { HandoffStore } from "./handoff.store";

interface Deps {
  store: HandoffStore;
  audit: AuditLog;
  handoffs: Pick<HandoffService, "deadlineReason">;
  clock: Clock;
}

export async function reportLink(deps: Deps, token: string, deviceId: string | null, report: ReportLinkRequest, deviceSummary: string): Promise<void> {
  const row = await deps.store.findByTokenHash(sha256Hex(token));
  if (!row) throw new AppError("LINK_INVALID", "report of unknown link");
  const isOver = isTerminal(row.state) || deps.handoffs.deadlineReason(row, deps.clock.now()) !== null;
  const isThisDevice = Boolean(deviceId && row.deviceHash && sameDigest(row.deviceHash, sha256Hex(deviceId)));
  if (isOver && !isThisDevice) throw new AppError("LINK_INVALID", "report of ended link from another device");
  await deps.audit.append({
    actor: "end_user",
    action: "link.reported",
    decision: "info",
    reason: report.reason,
    handoffId: row.id,
    agentId: row.agentId,
    keyId: row.keyId,
    endUserRef: row.endUserRef,
    targetOrigin: row.targetOrigin,
    details: { screen: report.screen, state: row.state, device: deviceSummary },
  });
}

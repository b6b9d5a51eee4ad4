/**
 * The person who got a link reports it ("I didn't expect this", "someone else used it"). Only an
 * audit row, `link.reported`, with the handoff's agent so operators can find the agent behind it;
 * the handoff itself is left as it is (Deny and Cancel are the ways to stop it).
 */
import type { AuditLog } from "../audit/audit-log";
import type { ReportLinkRequest } from "../protocol/api";
import type { HandoffRow } from "./handoff.store";

export async function reportLink(audit: AuditLog, row: HandoffRow, report: ReportLinkRequest, deviceSummary: string): Promise<void> {
  await audit.append({
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

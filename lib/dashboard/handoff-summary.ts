/** Maps a handoff row to the summary the dashboard shows (metadata only). */
import type { HandoffRow } from "../handoffs/handoff.store";
import type { HandoffSummary } from "../protocol/operator-events";
import { handoffTimes } from "../handoffs/handoff-times";
import { neutralizeText } from "../text/neutralize-text";

type SummaryRow = Pick<
  HandoffRow,
  | "id"
  | "state"
  | "agentId"
  | "targetSite"
  | "targetOrigin"
  | "endUserRef"
  | "createdAt"
  | "openedAt"
  | "approvedAt"
  | "liveAt"
  | "capturedAt"
  | "completedAt"
  | "endedAt"
  | "endReason"
>;

export function toHandoffSummary(row: SummaryRow, agentName: string): HandoffSummary {
  return {
    id: row.id,
    state: row.state,
    agentId: row.agentId,
    // Names and references are shown to operators: old rows must not reach the screen raw.
    agentName: neutralizeText(agentName),
    targetSite: row.targetSite,
    targetOrigin: row.targetOrigin,
    endUserRef: row.endUserRef === null ? null : neutralizeText(row.endUserRef),
    createdAt: row.createdAt.toISOString(),
    ...handoffTimes(row),
    endReason: row.endReason === null ? null : neutralizeText(row.endReason),
  };
}

/** Maps a handoff row to the summary the dashboard shows (metadata only). */
import type { Handoff } from "../db/generated/client";
import type { HandoffState } from "../lifecycle/states";
import type { HandoffSummary } from "../protocol/operator-events";
import { handoffTimes } from "../handoffs/handoff-times";
import { neutralizeText } from "../text/neutralize-text";

export function toHandoffSummary(row: Handoff, agentName: string): HandoffSummary {
  return {
    id: row.id,
    state: row.state as HandoffState,
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

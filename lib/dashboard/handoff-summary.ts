/** Maps a handoff row to the summary the dashboard shows (metadata only). */
import type { Handoff } from "../db/generated/client";
import type { HandoffState } from "../lifecycle/states";
import type { HandoffSummary } from "../protocol/operator-events";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toHandoffSummary(row: Handoff, agentName: string): HandoffSummary {
  return {
    id: row.id,
    state: row.state as HandoffState,
    agentId: row.agentId,
    agentName,
    targetSite: row.targetSite,
    targetOrigin: row.targetOrigin,
    endUserRef: row.endUserRef,
    createdAt: row.createdAt.toISOString(),
    openedAt: iso(row.openedAt),
    approvedAt: iso(row.approvedAt),
    liveAt: iso(row.liveAt),
    capturedAt: iso(row.capturedAt),
    completedAt: iso(row.completedAt),
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
  };
}

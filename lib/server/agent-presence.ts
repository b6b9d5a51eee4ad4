/**
 * Notices an agent that is gone. The relay reports when a handoff's last agent socket closes (on
 * whichever node held it) and when one connects again; the time is kept on the handoff's row, so
 * the node that sweeps sees it wherever the socket was. A handoff whose agent stays away longer
 * than a short grace (a reconnect after a network blip or a node going away takes well under it)
 * ends as `failed` with reason `agent_disconnected`, through the one state writer. Otherwise the
 * phone would keep showing a frozen "Live" picture of a browser that no longer exists, and
 * operators would count it as live.
 *
 * Time comes from the injected clock and the check runs on the server's sweep, so tests move the
 * clock instead of waiting.
 */
import type { HandoffStore } from "../handoffs/handoff.store";
import type { Logger } from "../logging/logger";
import { FailureReasons } from "../protocol/end-reasons";
import type { Clock } from "../time/clock";

/** Long enough for the worker's reconnect (≤ 2 s backoff) and a relay restart, short enough to matter. */
export const AGENT_RECONNECT_GRACE_MS = 8_000;

export interface AgentPresence {
  /** An agent socket of this handoff connected. */
  agentJoined(handoffId: string): Promise<void>;
  /** The last agent socket of this handoff closed (on every node). */
  agentLeft(handoffId: string): Promise<void>;
  /** Ends the handoffs whose agent has been gone past the grace. Returns how many. */
  endGone(): Promise<number>;
}

export function createAgentPresence(deps: { store: HandoffStore; clock: Clock; logger: Logger; graceMs?: number }): AgentPresence {
  const { store, clock, logger } = deps;
  const graceMs = deps.graceMs ?? AGENT_RECONNECT_GRACE_MS;

  async function endOne(handoffId: string, since: Date): Promise<boolean> {
    const result = await store.applyTransition(
      handoffId,
      { type: "fail", reason: FailureReasons.AGENT_DISCONNECTED },
      // Still gone, and gone since the same moment: a reconnect inside the transaction's wait wins.
      {
        actor: "system",
        guard: (row) => row.agentGoneAt?.getTime() === since.getTime(),
        audit: { details: { goneForMs: clock.now().getTime() - since.getTime() } },
      },
    );
    if (result.ok) logger.info("handoff ended: agent disconnected", { handoffId });
    return result.ok;
  }

  return {
    agentJoined: async (handoffId) => void (await store.noteAgentGone(handoffId, null)),
    agentLeft: async (handoffId) => void (await store.noteAgentGone(handoffId, clock.now())),
    async endGone() {
      let ended = 0;
      for (const row of await store.listAgentGoneSince(new Date(clock.now().getTime() - graceMs))) {
        if (row.agentGoneAt && (await endOne(row.id, row.agentGoneAt))) ended += 1;
      }
      return ended;
    },
  };
}

/**
 * Notices an agent that is gone. The relay reports when a handoff's last agent socket closes and
 * when one comes back; a handoff whose agent stays away longer than a short grace (a reconnect
 * after a network blip or a relay drop takes well under it) ends as `failed` with reason
 * `agent_disconnected`, through the one state writer. Otherwise the phone would keep showing a
 * frozen "Live" picture of a browser that no longer exists, and operators would count it as live.
 *
 * Time comes from the injected clock and the check runs on the server's sweep, so tests move the
 * clock instead of waiting.
 */
import type { HandoffStore } from "../handoffs/handoff.store";
import { isTerminal } from "../lifecycle/states";
import type { Logger } from "../logging/logger";
import { FailureReasons } from "../protocol/end-reasons";
import type { Clock } from "../time/clock";

/** Long enough for the worker's reconnect (≤ 2 s backoff) and a relay restart, short enough to matter. */
export const AGENT_RECONNECT_GRACE_MS = 8_000;

export interface AgentPresence {
  /** An agent socket of this handoff connected. */
  agentJoined(handoffId: string): void;
  /** The last agent socket of this handoff closed. */
  agentLeft(handoffId: string): void;
  /** Ends the handoffs whose agent has been gone past the grace. Returns how many. */
  endGone(): Promise<number>;
}

export function createAgentPresence(deps: { store: HandoffStore; clock: Clock; logger: Logger; graceMs?: number }): AgentPresence {
  const { store, clock, logger } = deps;
  const graceMs = deps.graceMs ?? AGENT_RECONNECT_GRACE_MS;
  /** Handoff id → when its last agent socket closed. */
  const goneSince = new Map<string, number>();

  async function endOne(handoffId: string, since: number): Promise<boolean> {
    const result = await store.applyTransition(
      handoffId,
      { type: "fail", reason: FailureReasons.AGENT_DISCONNECTED },
      // Still gone, and gone since the same moment: a reconnect inside the transaction's wait wins.
      { actor: "system", guard: () => goneSince.get(handoffId) === since, audit: { details: { goneForMs: clock.now().getTime() - since } } },
    );
    goneSince.delete(handoffId);
    if (result.ok) logger.info("handoff ended: agent disconnected", { handoffId });
    return result.ok;
  }

  return {
    agentJoined: (handoffId) => void goneSince.delete(handoffId),
    agentLeft: (handoffId) => void goneSince.set(handoffId, clock.now().getTime()),
    async endGone() {
      const now = clock.now().getTime();
      let ended = 0;
      for (const [handoffId, since] of [...goneSince]) {
        if (now - since < graceMs) continue;
        const row = await store.findById(handoffId);
        // An ended handoff closes its sockets itself; nothing to do but forget it.
        if (!row || isTerminal(row.state)) {
          goneSince.delete(handoffId);
          continue;
        }
        if (await endOne(handoffId, since)) ended += 1;
      }
      return ended;
    },
  };
}

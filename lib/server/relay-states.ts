/**
 * The relay's view of each handoff it holds sockets for: its lifecycle state, kept current on
 * every node. The node that writes a change tells the others over Socket.IO's adapter; because
 * pub/sub can drop a message (Redis restarting, a node busy), every node also re-reads the states
 * of the handoffs it holds sockets for from the database every few seconds, so a missed "ended"
 * closes the sockets within that time instead of never (fail closed).
 */
import type { HandoffStore } from "../handoffs/handoff.store";
import { isTerminal, type HandoffState } from "../lifecycle/states";
import type { Logger } from "../logging/logger";

export const STATE_RECHECK_MS = 2_000;

export interface StateChange {
  id: string;
  state: HandoffState;
  endReason: string | null;
}

export interface RelayStates {
  get(id: string): HandoffState | undefined;
  /** A socket of this handoff was admitted here, with the state read at its handshake. */
  admit(id: string, state: HandoffState): void;
  /** A change from this node's writer or another node's; returns false when it was not news. */
  apply(change: StateChange): boolean;
  stop(): void;
}

/**
 * `holds(id)`: whether this node still has sockets of the handoff; `onChange`: a change found by
 * the re-read (the relay tells its local sockets, and closes them when it is terminal).
 */
export function createRelayStates(deps: {
  store: HandoffStore;
  logger: Logger;
  holds(id: string): boolean;
  onChange(change: StateChange): void;
  recheckMs?: number;
}): RelayStates {
  const states = new Map<string, HandoffState>();

  function apply(change: StateChange): boolean {
    const known = states.get(change.id);
    if (known === undefined || known === change.state) return false;
    if (isTerminal(change.state)) states.delete(change.id);
    else states.set(change.id, change.state);
    return true;
  }

  async function recheck(): Promise<void> {
    for (const id of states.keys()) if (!deps.holds(id)) states.delete(id);
    if (states.size === 0) return;
    for (const row of await deps.store.findStates([...states.keys()])) {
      const change: StateChange = { id: row.id, state: row.state, endReason: row.endReason };
      if (apply(change)) deps.onChange(change);
    }
  }

  let isChecking = false;
  const timer = setInterval(() => {
    if (isChecking) return;
    isChecking = true;
    recheck()
      .catch((error: Error) => deps.logger.warn("relay state re-read failed", { error: error.message }))
      .finally(() => (isChecking = false));
  }, deps.recheckMs ?? STATE_RECHECK_MS);
  timer.unref();

  return {
    get: (id) => states.get(id),
    admit: (id, state) => void states.set(id, state),
    apply,
    stop: () => clearInterval(timer),
  };
}

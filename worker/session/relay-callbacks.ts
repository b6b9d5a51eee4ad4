/**
 * What the handoff does with the relay link's news. A lost or refused link always settles the
 * handoff: first the server is asked how it ended (a denial or an expiry is the better answer for
 * the agent), then it fails here — which the session ignores once the state it heard is terminal.
 */
import { isTerminal, type HandoffState } from "../../lib/lifecycle/states";
import { FailureReasons } from "../../lib/protocol/end-reasons";
import type { ApiClient } from "../api-client";
import { HandoffFailed } from "../errors";
import type { RelayLinkOptions } from "../relay-link";

export type RelayCallbacks = Pick<RelayLinkOptions, "isOver" | "onEnded" | "onLost" | "onState" | "onPhoneGone" | "onReuse" | "onStreamData">;

export interface RelayHost {
  handoffId: string;
  api: Pick<ApiClient, "status">;
  isOver(): boolean;
  applyState(state: HandoffState, endReason: string | null): void;
  failWith(error: HandoffFailed): void;
  viewerGone(): void;
  reuseDetected(attempts: number): void;
  streamData(payload: unknown): void;
}

export function relayCallbacks(host: RelayHost): RelayCallbacks {
  const askServer = async () => {
    // Unreachable too: the failure below is then the answer.
    const status = await host.api.status(host.handoffId).catch(() => null);
    if (status && isTerminal(status.state)) host.applyState(status.state, status.endReason);
  };
  return {
    isOver: () => host.isOver(),
    onEnded: () => void askServer().then(() => host.failWith(new HandoffFailed(host.handoffId, FailureReasons.RELAY_LOST, "the relay closed the connection"))),
    onLost: (error) => void askServer().then(() => host.failWith(error)),
    onState: (state, endReason) => host.applyState(state, endReason),
    onPhoneGone: () => host.viewerGone(),
    onReuse: (attempts) => host.reuseDetected(attempts),
    onStreamData: (payload) => host.streamData(payload),
  };
}

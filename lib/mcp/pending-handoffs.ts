/**
 * Handoffs an MCP session started and has not reported yet: in fallback mode (no URL elicitation)
 * `request_human_sign_in` returns with the link at once and `wait_for_human_sign_in` collects the
 * outcome later. When the client goes away, whatever is still running is cancelled.
 */
import type { HandoffOutcome } from "../cli/handoff-outcome";

export interface PendingHandoff {
  outcome: Promise<HandoffOutcome>;
  /** The latest lifecycle state, for "still waiting" answers. */
  state: string;
  cancel(): void;
}

export class PendingHandoffs {
  private readonly byId = new Map<string, PendingHandoff>();

  add(handoffId: string, entry: PendingHandoff): void {
    this.byId.set(handoffId, entry);
  }

  get(handoffId: string): PendingHandoff | undefined {
    return this.byId.get(handoffId);
  }

  delete(handoffId: string): void {
    this.byId.delete(handoffId);
  }

  /** Cancels every handoff still running and waits until each has told the server and closed its context. */
  async cancelAll(): Promise<void> {
    const entries = [...this.byId.values()];
    this.byId.clear();
    for (const entry of entries) entry.cancel();
    await Promise.allSettled(entries.map((entry) => entry.outcome));
  }
}

import { describe, expect, it } from "vitest";
import { transition } from "../../lib/lifecycle/transition";
import { HandoffStates, isTerminal } from "../../lib/lifecycle/states";

describe("operator cancel", () => {
  it("ends every live state as cancelled_by_operator and stamps endedAt", () => {
    for (const state of HandoffStates.filter((s) => !isTerminal(s))) {
      const step = transition(state, { type: "cancel", by: "operator" });
      expect(step).toEqual({ ok: true, next: "cancelled", stamps: ["endedAt"], endReason: "cancelled_by_operator", isTerminal: true });
    }
  });

  it("refuses to cancel a handoff that has already ended", () => {
    for (const state of HandoffStates.filter((s) => isTerminal(s))) {
      const step = transition(state, { type: "cancel", by: "operator" });
      expect(step.ok).toBe(false);
    }
  });
});

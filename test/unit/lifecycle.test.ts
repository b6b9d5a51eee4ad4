import { describe, expect, it } from "vitest";
import { HandoffStates, isTerminal } from "../../lib/lifecycle/states";
import { transition } from "../../lib/lifecycle/transition";

describe("lifecycle transition", () => {
  it("walks the happy path pending → opened → approved → live → captured → completed", () => {
    const steps = [
      ["pending", { type: "open" }, "opened"],
      ["opened", { type: "approve" }, "approved"],
      ["approved", { type: "go_live" }, "live"],
      ["live", { type: "capture" }, "captured"],
      ["captured", { type: "complete" }, "completed"],
    ] as const;
    for (const [from, event, to] of steps) {
      const result = transition(from, event);
      expect(result).toMatchObject({ ok: true, next: to });
    }
  });

  it("stamps the step's column, and endedAt when the step ends the handoff", () => {
    expect(transition("pending", { type: "open" })).toMatchObject({ stamps: ["openedAt"], isTerminal: false });
    expect(transition("captured", { type: "complete" })).toMatchObject({ stamps: ["completedAt", "endedAt"], isTerminal: true, endReason: "completed" });
  });

  it("refuses approve while pending (the link must be claimed first)", () => {
    expect(transition("pending", { type: "approve" })).toEqual({ ok: false, refusal: { code: "INVALID_TRANSITION", from: "pending", event: "approve" } });
  });

  it("refuses skipping live: capture straight after approval", () => {
    expect(transition("approved", { type: "capture" }).ok).toBe(false);
  });

  it("allows deny only on the consent screen (opened)", () => {
    expect(transition("opened", { type: "deny" })).toMatchObject({ ok: true, next: "denied", endReason: "denied_by_user" });
    for (const from of ["pending", "approved", "live"] as const) expect(transition(from, { type: "deny" }).ok).toBe(false);
  });

  it("lets every non-terminal state be cancelled, expired or failed", () => {
    for (const from of HandoffStates.filter((s) => !isTerminal(s))) {
      expect(transition(from, { type: "cancel", by: "operator" })).toMatchObject({ ok: true, next: "cancelled", endReason: "cancelled_by_operator" });
      expect(transition(from, { type: "expire", reason: "link_ttl" })).toMatchObject({ ok: true, next: "expired", endReason: "link_ttl" });
      expect(transition(from, { type: "fail", reason: "worker_error" })).toMatchObject({ ok: true, next: "failed", endReason: "worker_error" });
    }
  });

  it("never leaves a terminal state", () => {
    for (const from of HandoffStates.filter(isTerminal)) {
      for (const event of [{ type: "open" }, { type: "approve" }, { type: "cancel", by: "agent" }, { type: "expire", reason: "idle" }] as const) {
        expect(transition(from, event).ok).toBe(false);
      }
    }
  });
});

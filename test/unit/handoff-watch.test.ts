import { describe, expect, it } from "vitest";
import { HandoffStates, type HandoffState } from "../../lib/lifecycle/states";
import { createHandoffWatch, watchedPhase } from "../../worker/session/create-watch";
import { FakeApi } from "../helpers/fake-api";
import { FakeTimers } from "../helpers/fake-timers";

describe("the handoff's watch", () => {
  it("watches only while running and streaming, and looks for the sign-in only when live", () => {
    const phases = Object.fromEntries(HandoffStates.map((s) => [s, watchedPhase(true, s)]));
    expect(phases).toEqual({
      pending: "off",
      opened: "off",
      approved: "approved",
      live: "live",
      captured: "off",
      completed: "off",
      denied: "off",
      expired: "off",
      cancelled: "off",
      failed: "off",
    });
    expect(HandoffStates.map((s) => watchedPhase(false, s))).toEqual(HandoffStates.map(() => "off"));
  });

  it("reports idle to the server once after the session's idle time, and survives a failed report", async () => {
    const timers = new FakeTimers();
    const api = new FakeApi();
    api.isReportFailing = true;
    const state: { now: HandoffState } = { now: "approved" };
    let looks = 0;
    const watch = createHandoffWatch({
      timers,
      handoffId: "hnd_1",
      sessionIdleSeconds: 10,
      api,
      isRunning: () => true,
      state: () => state.now,
      onLiveTick: async () => void looks++,
    });
    watch.start();
    await timers.advance(9_999);
    expect(api.reports).toEqual([]);
    await timers.advance(20_000);
    expect(api.reports).toEqual([{ event: "idle" }]);
    state.now = "live";
    await timers.advance(4_000);
    expect(looks).toBe(10);
    watch.stop();
  });
});

import { describe, expect, it } from "vitest";
import { SessionWatch, type WatchedPhase } from "../../worker/session/session-watch";
import { FakeTimers } from "../helpers/fake-timers";

function watch(phase: WatchedPhase = "live") {
  const timers = new FakeTimers();
  const events: string[] = [];
  const state = { phase };
  const w = new SessionWatch({
    timers,
    intervalMs: 400,
    idleMs: 10_000,
    phase: () => state.phase,
    onIdle: async () => void events.push(`idle@${timers.now()}`),
    onLiveTick: async () => void events.push("look"),
  });
  return { w, timers, events, state };
}

describe("session watch", () => {
  it("reports idle once, after the idle time without input, and never again", async () => {
    const { w, timers, events } = watch("approved");
    w.start();
    await timers.advance(9_600);
    expect(events).toEqual([]);
    await timers.advance(30_000);
    expect(events).toEqual(["idle@10400"]);
  });

  it("counts from the last input, so a person who keeps touching is never idle", async () => {
    const { w, timers, events } = watch("approved");
    w.start();
    for (let i = 0; i < 10; i++) {
      await timers.advance(8_000);
      w.input();
    }
    expect(events).toEqual([]);
  });

  it("looks for the sign-in only while live, once per interval", async () => {
    const { w, timers, events, state } = watch("approved");
    w.start();
    await timers.advance(2_000);
    expect(events).toEqual([]);
    state.phase = "live";
    await timers.advance(2_000);
    expect(events).toEqual(["look", "look", "look", "look", "look"]);
  });

  it("does nothing at all once stopped or off", async () => {
    const { w, timers, events, state } = watch("live");
    state.phase = "off";
    w.start();
    await timers.advance(60_000);
    expect(events).toEqual([]);
    state.phase = "live";
    w.stop();
    await timers.advance(60_000);
    expect(events).toEqual([]);
    expect(timers.pending).toBe(0);
  });
});

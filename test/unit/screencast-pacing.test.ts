/**
 * The screencast's pacing, against a CDP session played in memory: Chromium is acknowledged as each
 * frame arrives (its own 3-frame budget never waits for the phone), while at most FRAMES_TO_PHONE
 * frames are on their way to the phone; a frame that comes meanwhile waits, replaced by any newer one.
 */
import type { CDPSession } from "playwright-core";
import { describe, expect, it } from "vitest";
import { FRAME_LOST_AFTER_MS, FRAMES_TO_PHONE, Screencast, type ScreencastFrame } from "../../worker/screencast";
import { FakeCdp } from "../helpers/fake-cdp";
import { FakeTimers } from "../helpers/fake-timers";

function setup(timers = new FakeTimers()) {
  const cdp = new FakeCdp();
  const delivered: ScreencastFrame[] = [];
  const screencast = new Screencast({ cdp: cdp as unknown as CDPSession, deliver: (f) => delivered.push(f), timers });
  // Frames come once the stream has started (the options are set at once).
  void screencast.start({ format: "jpeg", quality: 60, maxWidth: 390, maxHeight: 700 });
  screencast.viewerReady();
  const names = () => delivered.map((f) => f.image.toString());
  return { cdp, screencast, delivered, names };
}

describe("screencast pacing", () => {
  it("acknowledges Chromium as each frame arrives, even while the phone has not drawn any", () => {
    const { cdp } = setup();
    for (let n = 1; n <= 5; n++) cdp.frame(n);
    expect(cdp.acks).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it(`sends at most ${FRAMES_TO_PHONE} frames the phone has not drawn, then the newest when it draws`, () => {
    const { cdp, screencast, delivered, names } = setup();
    for (let n = 1; n <= 5; n++) cdp.frame(n);
    expect(names()).toEqual(["jpeg-1", "jpeg-2"]);
    screencast.drawn(delivered[0].seq);
    // Frames 3 and 4 were replaced while waiting: a slow phone gets fresher frames, never a queue.
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-5"]);
    screencast.drawn(delivered[2].seq);
    cdp.frame(6);
    cdp.frame(7);
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-5", "jpeg-6", "jpeg-7"]);
  });

  it("makes room when a frame is skipped instead of drawn", () => {
    const { cdp, screencast, delivered, names } = setup();
    for (let n = 1; n <= 3; n++) cdp.frame(n);
    screencast.skip(delivered[1].seq);
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-3"]);
  });

  it("drops the waiting frame when the viewer goes, and sends nothing until one is back", () => {
    const { cdp, screencast, names } = setup();
    for (let n = 1; n <= 3; n++) cdp.frame(n);
    screencast.viewerGone();
    cdp.frame(4);
    expect(names()).toEqual(["jpeg-1", "jpeg-2"]);
    expect(screencast.viewerReady()?.image.toString()).toBe("jpeg-4");
    cdp.frame(5);
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-5"]);
  });

  it("gives up on frames the phone never acknowledges (dropped on the way), and sends the newest one then", async () => {
    const timers = new FakeTimers();
    const { cdp, names } = setup(timers);
    for (let n = 1; n <= 3; n++) cdp.frame(n);
    expect(names()).toEqual(["jpeg-1", "jpeg-2"]);
    await timers.advance(FRAME_LOST_AFTER_MS - 600);
    expect(names()).toEqual(["jpeg-1", "jpeg-2"]);
    await timers.advance(1000);
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-3"]);
    // And the stream carries on: the next frames flow as acks allow again.
    cdp.frame(4);
    expect(names()).toEqual(["jpeg-1", "jpeg-2", "jpeg-3", "jpeg-4"]);
  });
});

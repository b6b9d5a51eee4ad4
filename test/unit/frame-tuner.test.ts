import { describe, expect, it } from "vitest";
import { FrameTuner, FrameTuning } from "../../worker/frame-tuner";

describe("frame tuner", () => {
  it("runs frames at the moving quality, and makes a resting frame due once the person pauses", () => {
    const tuner = new FrameTuner(3);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.movingQuality, format: "jpeg" });
    expect(tuner.restingScale(0)).toBe(2);
    tuner.input(1000);
    expect(tuner.restingScale(1000)).toBeNull();
    expect(tuner.restingScale(1000 + FrameTuning.idleMs - 1)).toBeNull();
    expect(tuner.nextChangeAt(1100)).toBe(1000 + FrameTuning.idleMs);
    expect(tuner.restingScale(1000 + FrameTuning.idleMs)).toBe(2);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.movingQuality, format: "jpeg" });
    expect(tuner.nextChangeAt(2000)).toBeNull();
  });

  it("rests at the phone's own density, at most 2×, and at 1× for a phone of density 1", () => {
    expect(new FrameTuner(1).restingScale(0)).toBe(1);
    expect(new FrameTuner(1.5).restingScale(0)).toBe(1.5);
    expect(new FrameTuner(3).restingScale(0)).toBe(FrameTuning.maxScale);
  });

  /** Frames `from`…`to`, each drawn `ms` after it was sent; returns the time after the last. */
  const link = (tuner: FrameTuner, from: number, to: number, ms: number, now: number) => {
    for (let seq = from; seq <= to; seq++) {
      tuner.frameSent(seq, now);
      now += ms;
      tuner.frameDrawn(seq, now);
    }
    return now;
  };

  it("drops quality and the resting frame on a slow link for a phone without WebP, and restores them once it recovers", () => {
    const tuner = new FrameTuner(2);
    let now = link(tuner, 1, 6, 600, 0);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.slowQuality, format: "jpeg" });
    expect(tuner.restingScale(now + 1000)).toBeNull();
    now = link(tuner, 7, 20, 30, now);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.movingQuality, format: "jpeg" });
    expect(tuner.restingScale(now + 1000)).toBe(2);
  });

  it("sends WebP on a slow link to a phone that decodes it, and JPEG again once the link recovers", () => {
    const tuner = new FrameTuner(3, true);
    expect(tuner.settings().format).toBe("jpeg");
    let now = link(tuner, 1, 6, 600, 0);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.webpQuality, format: "webp" });
    expect(tuner.restingScale(now + 1000)).toBeNull();
    // Between the two thresholds the link stays slow: no flapping between formats.
    now = link(tuner, 7, 12, (FrameTuning.slowMs + FrameTuning.fastMs) / 2, now);
    expect(tuner.settings().format).toBe("webp");
    now = link(tuner, 13, 30, 30, now);
    expect(tuner.settings()).toEqual({ quality: FrameTuning.movingQuality, format: "jpeg" });
    expect(tuner.restingScale(now + 1000)).toBe(2);
  });

  it("counts a drawn frame once, and forgets the frames the phone skipped", () => {
    const tuner = new FrameTuner(2);
    tuner.frameSent(1, 0);
    tuner.frameSent(2, 0);
    tuner.frameSent(3, 10);
    tuner.frameDrawn(3, 5000); // 1 and 2 were skipped, not slow
    tuner.frameDrawn(3, 9000); // a repeated ack changes nothing
    expect(tuner.settings().quality).toBe(FrameTuning.slowQuality);
  });
});

import { describe, expect, it } from "vitest";
import { FrameTuner, FrameTuning } from "../../worker/frame-tuner";

describe("frame tuner", () => {
  it("sends 1× frames while the person types and a sharp frame once they pause", () => {
    const tuner = new FrameTuner(3);
    expect(tuner.settings(0)).toEqual({ scale: 2, quality: FrameTuning.quality, format: "jpeg" });
    tuner.input(1000);
    expect(tuner.settings(1000)).toEqual({ scale: 1, quality: FrameTuning.quality, format: "jpeg" });
    expect(tuner.nextChangeAt(1100)).toBe(1000 + FrameTuning.idleMs);
    expect(tuner.settings(1000 + FrameTuning.idleMs)).toEqual({ scale: 2, quality: FrameTuning.quality, format: "jpeg" });
    expect(tuner.nextChangeAt(2000)).toBeNull();
  });

  it("never scales past the phone's own density", () => {
    expect(new FrameTuner(1).settings(0).scale).toBe(1);
    expect(new FrameTuner(1.5).settings(0).scale).toBe(1.5);
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

  it("drops quality and sharpness on a slow link for a phone without WebP, and restores them once it recovers", () => {
    const tuner = new FrameTuner(2);
    let now = link(tuner, 1, 6, 600, 0);
    expect(tuner.settings(now)).toEqual({ scale: 1, quality: FrameTuning.slowQuality, format: "jpeg" });
    now = link(tuner, 7, 20, 30, now);
    expect(tuner.settings(now + 1000)).toEqual({ scale: 2, quality: FrameTuning.quality, format: "jpeg" });
  });

  it("sends WebP at full quality on a slow link to a phone that decodes it, and JPEG again once the link recovers", () => {
    const tuner = new FrameTuner(3, true);
    expect(tuner.settings(0).format).toBe("jpeg");
    let now = link(tuner, 1, 6, 600, 0);
    expect(tuner.settings(now)).toEqual({ scale: 1, quality: FrameTuning.quality, format: "webp" });
    // Between the two thresholds the link stays slow: no flapping between formats.
    now = link(tuner, 7, 12, (FrameTuning.slowMs + FrameTuning.fastMs) / 2, now);
    expect(tuner.settings(now + 1000).format).toBe("webp");
    now = link(tuner, 13, 30, 30, now);
    expect(tuner.settings(now + 1000)).toEqual({ scale: 2, quality: FrameTuning.quality, format: "jpeg" });
  });

  it("counts a drawn frame once, and forgets the frames the phone skipped", () => {
    const tuner = new FrameTuner(2);
    tuner.frameSent(1, 0);
    tuner.frameSent(2, 0);
    tuner.frameSent(3, 10);
    tuner.frameDrawn(3, 5000); // 1 and 2 were skipped, not slow
    tuner.frameDrawn(3, 9000); // a repeated ack changes nothing
    expect(tuner.settings(20_000).quality).toBe(FrameTuning.slowQuality);
  });
});

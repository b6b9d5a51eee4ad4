import { describe, expect, it } from "vitest";
import { FrameTuner, FrameTuning } from "../../worker/frame-tuner";

describe("frame tuner", () => {
  it("sends 1× frames while the person types and a sharp frame once they pause", () => {
    const tuner = new FrameTuner(3);
    expect(tuner.settings(0)).toEqual({ scale: 2, quality: FrameTuning.quality });
    tuner.input(1000);
    expect(tuner.settings(1000)).toEqual({ scale: 1, quality: FrameTuning.quality });
    expect(tuner.nextChangeAt(1100)).toBe(1000 + FrameTuning.idleMs);
    expect(tuner.settings(1000 + FrameTuning.idleMs)).toEqual({ scale: 2, quality: FrameTuning.quality });
    expect(tuner.nextChangeAt(2000)).toBeNull();
  });

  it("never scales past the phone's own density", () => {
    expect(new FrameTuner(1).settings(0).scale).toBe(1);
    expect(new FrameTuner(1.5).settings(0).scale).toBe(1.5);
  });

  it("drops quality and sharpness on a slow link, and restores them once it recovers", () => {
    const tuner = new FrameTuner(2);
    let now = 0;
    for (let seq = 1; seq <= 6; seq++) {
      tuner.frameSent(seq, now);
      now += 600;
      tuner.frameDrawn(seq, now);
    }
    expect(tuner.settings(now)).toEqual({ scale: 1, quality: FrameTuning.slowQuality });
    for (let seq = 7; seq <= 20; seq++) {
      tuner.frameSent(seq, now);
      now += 30;
      tuner.frameDrawn(seq, now);
    }
    expect(tuner.settings(now + 1000)).toEqual({ scale: 2, quality: FrameTuning.quality });
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

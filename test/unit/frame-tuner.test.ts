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

  /** Frames `from`…`to` of `bytes` each, each drawn `ms` after it was sent; returns the time after the last. */
  const link = (tuner: FrameTuner, from: number, to: number, ms: number, now: number, bytes = 8000) => {
    for (let seq = from; seq <= to; seq++) {
      tuner.frameSent(seq, now, bytes);
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

  it("calls a narrow link slow by its time per KB, even when one frame at a time is drawn well inside the time bound", () => {
    const tuner = new FrameTuner(3, true);
    // The first frames are tiny (≈ 300 bytes in 20 ms: the link's fixed cost); then 6.85 KB in 250 ms.
    const now = link(tuner, 1, 2, 20, 0, 300);
    link(tuner, 3, 8, 250, now, 6850);
    expect(tuner.settings().format).toBe("webp");
  });

  it("stays slow when the smaller WebP frames come sooner on the same narrow link, instead of flipping back to JPEG", () => {
    const tuner = new FrameTuner(3, true);
    let now = link(tuner, 1, 2, 20, 0, 300);
    now = link(tuner, 3, 8, 600, now, 8000);
    expect(tuner.settings().format).toBe("webp");
    // 3.6 KB in 100 ms: inside fastMs, and still ≈ 45 KB/s beyond the fixed 20 ms.
    link(tuner, 9, 30, 100, now, 3600);
    expect(tuner.settings().format).toBe("webp");
  });

  it("keeps a link fast that is far but wide, and does not judge bytes by frames too small to tell", () => {
    const far = new FrameTuner(3, true);
    // ≈ 120 ms each way and ≈ 1 MB/s: a small frame drawn in 240 ms, 8 KB in 250 ms.
    const now = link(far, 1, 2, 240, 0, 300);
    link(far, 3, 20, 250, now, 8000);
    expect(far.settings()).toEqual({ quality: FrameTuning.movingQuality, format: "jpeg" });
    const tiny = new FrameTuner(3, true);
    let at = 0;
    for (let seq = 1; seq <= 20; seq++) at = link(tiny, seq, seq, seq % 2 ? 20 : 40, at, 600);
    expect(tiny.settings().format).toBe("jpeg");
  });

  it("lets a link made slow by its bytes recover by its bytes, though its draws stay above the time bound for recovery", () => {
    const tuner = new FrameTuner(3, true);
    // A latency step: draws of 60 ms, then of 260 ms for frames of the same size.
    let now = link(tuner, 1, 4, 60, 0, 8000);
    now = link(tuner, 5, 12, 260, now, 8000);
    expect(tuner.settings().format).toBe("webp");
    // Once the quick draws have left the window, the cost per KB is back to nothing: fast again.
    link(tuner, 13, 60, 260, now, 8000);
    expect(tuner.settings().format).toBe("jpeg");
  });

  it("recovers on a link fast beyond doubt even when every frame is too small to judge per KB", () => {
    const tuner = new FrameTuner(3, true);
    let now = link(tuner, 1, 2, 20, 0, 300);
    now = link(tuner, 3, 8, 250, now, 6850);
    expect(tuner.settings().format).toBe("webp");
    link(tuner, 9, 30, 10, now, 1500);
    expect(tuner.settings().format).toBe("jpeg");
  });

  it("counts a drawn frame once, and forgets the frames the phone skipped", () => {
    const tuner = new FrameTuner(2);
    tuner.frameSent(1, 0, 8000);
    tuner.frameSent(2, 0, 8000);
    tuner.frameSent(3, 10, 8000);
    tuner.frameDrawn(3, 5000); // 1 and 2 were skipped, not slow
    tuner.frameDrawn(3, 9000); // a repeated ack changes nothing
    expect(tuner.settings().quality).toBe(FrameTuning.slowQuality);
  });
});

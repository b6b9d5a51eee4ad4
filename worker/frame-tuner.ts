/**
 * Picks the frames' format and quality from what the phone is doing and how fast its link is, and
 * when a resting frame is due. While the person types or taps, and while the page changes, frames go
 * at 1× and a moving quality — small and fast, each soon replaced by the next. Once they pause, one
 * resting frame goes at the phone's pixel density (up to 2×) and a higher quality, so text reads
 * sharp and true; at density 1 too, where it is only the quality that rises. A JPEG at CSS size has a
 * floor of bytes in its many flat blocks, so quality buys less than it seems (measured on Chromium's
 * screencast at CSS size in a browser drawing at 3×: the bench's page 8.1 KB at quality 60, 6.9 KB at
 * 40; the demo's login 12.4 against 10.6 KB), but it is what a frame a keystroke costs at a typing
 * pace. When the link is slow (frames take long to be drawn, or long per KB of them), frames stay
 * at 1× and go as WebP where the phone decodes it, until the link recovers: a login page's frame at
 * CSS size is a third of the bytes (measured: 2.8 against 8.3 KB as JPEG, both at quality 60), for
 * about 23 ms more of Chromium's encoding — a lot on a fast link, little beside what the bytes cost
 * on a slow one. A phone without WebP gets JPEG at a lower quality,
 * which saves only about a sixth on such pages: their JPEG bytes go mostly to the many blocks of
 * flat colour, whatever the quality. Pure: time is passed in.
 */
export type ImageFormat = "jpeg" | "webp";

/** What the page's frames run at: the screencast, or the captures of a page that animates. */
export interface FrameSettings {
  quality: number;
  format: ImageFormat;
}

export const FrameTuning = {
  /** Quiet time after input before the sharp frame. */
  idleMs: 350,
  /** Smoothed send → drawn time above which the link counts as slow (frames queue), and below which it may recover. */
  slowMs: 300,
  fastMs: 120,
  /**
   * The time per KB of frame beyond the link's fixed cost (the quickest draw of the last frames: its
   * latency both ways and the phone's decode), for frames of at least `perKbFromBytes`. Above
   * `slowMsPerKb` the link counts as slow however small the frames are; it recovers below
   * `fastMsPerKb`. Time alone is not enough: a WebP frame a third the size on the same narrow link
   * is drawn sooner, and the link flipped back to JPEG; and one JPEG frame at a time on a 50 KB/s
   * link took ≈ 250 ms, "fast" by time, yet 265 ms from key to view (measured). A link far away but
   * wide has a high fixed cost and a low cost per KB, so it stays fast.
   */
  slowMsPerKb: 20,
  fastMsPerKb: 12,
  perKbFromBytes: 2000,
  /** JPEG quality of the frames while the person acts or the page changes (a fast link). */
  movingQuality: 40,
  /** JPEG quality of the resting frame, once the person and the page pause. */
  restingQuality: 70,
  /** WebP quality on a slow link, for a phone that decodes it. */
  webpQuality: 60,
  /** JPEG quality on a slow link, for a phone that does not decode WebP. */
  slowQuality: 35,
  maxScale: 2,
} as const;

export class FrameTuner {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private readonly sentAt = new Map<number, { at: number; bytes: number }>();
  private smoothedMs: number | null = null;
  private smoothedMsPerKb: number | null = null;
  /** The last frames' draw times, for the link's fixed cost. */
  private readonly recentMs: number[] = [];
  private isSlow = false;
  /** What made the link slow: its draw time, or its time per KB. */
  private slowBy: "time" | "bytes" | null = null;

  /**
   * @param density the phone's device pixel ratio
   * @param decodesWebp whether the phone said it decodes WebP (see phoneDecodesWebp)
   */
  constructor(
    private readonly density: number,
    private decodesWebp = false,
  ) {}

  /** The phone said whether it decodes WebP (after its hello). */
  phoneDecodesWebp(decodes: boolean): void {
    this.decodesWebp = decodes;
  }

  input(now: number): void {
    this.lastInputAt = now;
  }

  frameSent(seq: number, now: number, bytes: number): void {
    this.sentAt.set(seq, { at: now, bytes });
    // Frames the phone skipped are never acked on their own; keep the table small.
    if (this.sentAt.size > 64) this.sentAt.delete(this.sentAt.keys().next().value!);
  }

  /** The phone drew frame `seq` (and, implicitly, skipped the older ones). */
  frameDrawn(seq: number, now: number): void {
    const sent = this.sentAt.get(seq);
    for (const s of this.sentAt.keys()) if (s <= seq) this.sentAt.delete(s);
    if (sent === undefined) return;
    const ms = now - sent.at;
    this.smoothedMs = smooth(this.smoothedMs, ms);
    this.recentMs.push(ms);
    if (this.recentMs.length > 32) this.recentMs.shift();
    const fixedMs = Math.min(...this.recentMs);
    if (sent.bytes >= FrameTuning.perKbFromBytes) this.smoothedMsPerKb = smooth(this.smoothedMsPerKb, (ms - fixedMs) / (sent.bytes / 1000));
    const perKb = this.smoothedMsPerKb ?? 0;
    if (!this.isSlow) {
      if (this.smoothedMs > FrameTuning.slowMs) this.slowBy = "time";
      else if (perKb > FrameTuning.slowMsPerKb) this.slowBy = "bytes";
      this.isSlow = this.slowBy !== null;
      return;
    }
    // Out of slow by what put the link there: a far link whose draws sit between the time bounds,
    // once slow by its bytes, recovers by its bytes. And a link fast beyond doubt recovers whatever
    // the per-KB figure says, which frames under perKbFromBytes leave as it was.
    const isFastByTime = this.smoothedMs < (this.slowBy === "bytes" ? FrameTuning.slowMs : FrameTuning.fastMs);
    const isFastByBytes = isFastByTime && perKb < FrameTuning.fastMsPerKb;
    if (isFastByBytes || this.smoothedMs < FrameTuning.fastMs / 2) {
      this.isSlow = false;
      this.slowBy = null;
      // A per-KB figure left from before, by frames too small to update it, must not make it slow again.
      if (!isFastByBytes) this.smoothedMsPerKb = null;
    }
  }

  settings(): FrameSettings {
    if (!this.isSlow) return { quality: FrameTuning.movingQuality, format: "jpeg" };
    return this.decodesWebp ? { quality: FrameTuning.webpQuality, format: "webp" } : { quality: FrameTuning.slowQuality, format: "jpeg" };
  }

  /**
   * The scale of the resting frame due once the person has paused (the pacer also waits for the page
   * to be still), or null: not yet, or never on a slow link, where its bytes would cost most.
   */
  restingScale(now: number): number | null {
    if (this.isSlow || now - this.lastInputAt < FrameTuning.idleMs) return null;
    return Math.max(1, Math.min(FrameTuning.maxScale, this.density));
  }

  /** When the resting frame becomes due by itself (the pause after input is over), or null. */
  nextChangeAt(now: number): number | null {
    const at = this.lastInputAt + FrameTuning.idleMs;
    return at > now ? at : null;
  }
}

function smooth(smoothed: number | null, sample: number): number {
  return smoothed === null ? sample : smoothed * 0.7 + sample * 0.3;
}

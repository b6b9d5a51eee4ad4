/**
 * Picks the screencast's scale and JPEG quality from what the phone is doing and how fast its link
 * is. While the person types or taps, frames go at 1× — small and fast. Once they pause, one frame
 * goes at the phone's pixel density (up to 2×), so text reads sharp. When frames take long to be
 * drawn (a slow link), quality drops and frames stay at 1× until the link recovers. Pure: time is
 * passed in.
 */
export interface FrameSettings {
  scale: number;
  quality: number;
}

export const FrameTuning = {
  /** Quiet time after input before the sharp frame. */
  idleMs: 350,
  /** Smoothed send → drawn time above which the link counts as slow, and below which it recovers. */
  slowMs: 300,
  fastMs: 120,
  quality: 60,
  slowQuality: 35,
  maxScale: 2,
} as const;

export class FrameTuner {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private readonly sentAt = new Map<number, number>();
  private smoothedMs: number | null = null;
  private isSlow = false;

  /** @param density the phone's device pixel ratio */
  constructor(private readonly density: number) {}

  input(now: number): void {
    this.lastInputAt = now;
  }

  frameSent(seq: number, now: number): void {
    this.sentAt.set(seq, now);
    // Frames the phone skipped are never acked on their own; keep the table small.
    if (this.sentAt.size > 64) this.sentAt.delete(this.sentAt.keys().next().value!);
  }

  /** The phone drew frame `seq` (and, implicitly, skipped the older ones). */
  frameDrawn(seq: number, now: number): void {
    const at = this.sentAt.get(seq);
    for (const s of this.sentAt.keys()) if (s <= seq) this.sentAt.delete(s);
    if (at === undefined) return;
    const ms = now - at;
    this.smoothedMs = this.smoothedMs === null ? ms : this.smoothedMs * 0.7 + ms * 0.3;
    if (!this.isSlow && this.smoothedMs > FrameTuning.slowMs) this.isSlow = true;
    else if (this.isSlow && this.smoothedMs < FrameTuning.fastMs) this.isSlow = false;
  }

  settings(now: number): FrameSettings {
    const isIdle = now - this.lastInputAt >= FrameTuning.idleMs;
    const sharp = Math.max(1, Math.min(FrameTuning.maxScale, this.density));
    return { scale: isIdle && !this.isSlow ? sharp : 1, quality: this.isSlow ? FrameTuning.slowQuality : FrameTuning.quality };
  }

  /** When the settings will change by themselves (the pause after input), or null. */
  nextChangeAt(now: number): number | null {
    const at = this.lastInputAt + FrameTuning.idleMs;
    return at > now ? at : null;
  }
}

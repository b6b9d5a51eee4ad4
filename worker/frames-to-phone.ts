/**
 * The pacing towards the phone, whatever produces the frames: at most FRAMES_TO_PHONE frames are on
 * their way or being drawn; a frame that comes while they are waits in a one-frame mailbox, replaced
 * by any newer one (latest wins), and goes when the phone draws. A slow phone gets fewer, fresher
 * frames, never a queue. A frame the phone never acknowledges is given up on after
 * FRAME_LOST_AFTER_MS, so the stream cannot stall on acks that will not come.
 */
import type { ScreencastFrame } from "./screencast";
import type { TimerHandle, Timers } from "./session/timers";

/** Frames on their way to the phone or being drawn, at most (measured: see README "Performance"). */
export const FRAMES_TO_PHONE = 2;

/**
 * A frame the phone has not acknowledged in this long is taken as lost — the relay drops frames for
 * a phone that cannot keep up, and a node or Redis going away loses what was on its way. Far above a
 * draw on a slow phone.
 */
export const FRAME_LOST_AFTER_MS = 2_000;

export class FramesToPhone {
  /** Frames sent and not yet drawn, with the time each one went. */
  private readonly sentAt = new Map<number, number>();
  private waiting: ScreencastFrame | null = null;
  private lossTimer: TimerHandle | undefined;

  constructor(
    private readonly deliver: (frame: ScreencastFrame) => void,
    private readonly timers: Timers,
    /** Called whenever a new frame would go at once: room to the phone and nothing waiting. */
    private readonly onRoom: () => void = () => undefined,
  ) {}

  /** `frame` is the newest picture: it goes now if the phone has room, else waits (replacing any older one). */
  offer(frame: ScreencastFrame): void {
    this.waiting = frame;
    this.flush();
  }

  /** A new frame would go at once: room to the phone and nothing waiting. */
  isFree(): boolean {
    return this.hasRoom() && !this.waiting;
  }

  /** The phone drew frame `seq`: it and every older one are done with (numbers wrap at 2³²). */
  drawn(seq: number): void {
    for (const s of [...this.sentAt.keys()]) if (s <= seq || (seq < 16 && s > 0xfffffff0)) this.sentAt.delete(s);
    this.flush();
  }

  /** Frame `seq` will not be drawn: its room is free again. */
  skip(seq: number): void {
    if (this.sentAt.delete(seq)) this.flush();
  }

  /** Forgets every frame in flight and the waiting one (the viewer left, or the source stopped). */
  clear(): void {
    this.sentAt.clear();
    this.waiting = null;
    this.timers.clearTimeout(this.lossTimer);
    this.lossTimer = undefined;
  }

  private hasRoom(): boolean {
    return this.sentAt.size < FRAMES_TO_PHONE;
  }

  private flush(): void {
    const frame = this.waiting;
    if (frame && this.hasRoom()) {
      this.waiting = null;
      this.sentAt.set(frame.seq, this.timers.now());
      this.deliver(frame);
      this.watchForLoss();
    }
    if (this.isFree()) this.onRoom();
  }

  /** Frames in flight past FRAME_LOST_AFTER_MS are given up on; the waiting frame goes then. */
  private watchForLoss(): void {
    if (this.lossTimer || this.sentAt.size === 0) return;
    this.lossTimer = this.timers.setTimeout(() => {
      this.lossTimer = undefined;
      const now = this.timers.now();
      for (const [seq, at] of this.sentAt) if (now - at >= FRAME_LOST_AFTER_MS) this.sentAt.delete(seq);
      this.flush();
      this.watchForLoss();
    }, FRAME_LOST_AFTER_MS / 4);
  }
}

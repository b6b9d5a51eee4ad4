/**
 * The watch over a live session, every `intervalMs`: nobody touched or typed for the session's idle
 * time (only the worker can tell — it sees the stream, where frame acks and repaints are not input)
 * is reported once; otherwise, while the handoff is live, the sign-in is looked for. One tick at a
 * time: the next is scheduled when the previous one is done.
 */
import type { TimerHandle, Timers } from "./timers";

export type WatchedPhase = "off" | "approved" | "live";

export interface SessionWatchDeps {
  timers: Timers;
  intervalMs: number;
  idleMs: number;
  phase(): WatchedPhase;
  onIdle(): Promise<void>;
  /** Looks for the sign-in (and reports progress); runs only while live. */
  onLiveTick(): Promise<void>;
}

export class SessionWatch {
  private lastInputAt: number;
  private hasReportedIdle = false;
  private timer: TimerHandle | undefined;
  private isStopped = true;

  constructor(private readonly deps: SessionWatchDeps) {
    this.lastInputAt = deps.timers.now();
  }

  /** The person touched, typed or (re)opened the view. */
  input(): void {
    this.lastInputAt = this.deps.timers.now();
  }

  start(): void {
    if (!this.isStopped) return;
    this.isStopped = false;
    this.schedule();
  }

  stop(): void {
    this.isStopped = true;
    this.deps.timers.clearTimeout(this.timer);
  }

  /** One tick, also callable directly (tests, and the scheduler below). */
  async tick(): Promise<void> {
    const phase = this.deps.phase();
    if (phase === "off") return;
    if (!this.hasReportedIdle && this.deps.timers.now() - this.lastInputAt > this.deps.idleMs) {
      this.hasReportedIdle = true;
      return this.deps.onIdle();
    }
    if (phase === "live") await this.deps.onLiveTick();
  }

  private schedule(): void {
    this.timer = this.deps.timers.setTimeout(() => {
      void this.tick()
        // A failed look (the page navigated mid-check) is retried on the next tick.
        .catch(() => undefined)
        .finally(() => !this.isStopped && this.schedule());
    }, this.deps.intervalMs);
  }
}

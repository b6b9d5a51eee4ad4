/** Timers a test drives by hand: `advance(ms)` runs what falls due, in order, and lets promises settle. */
import type { TimerHandle, Timers } from "../../worker/session/timers";

export class FakeTimers implements Timers {
  private at = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.at;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.due.set(id, { at: this.at + ms, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.due.delete(handle.id as number);
  }

  get pending(): number {
    return this.due.size;
  }

  async advance(ms: number): Promise<void> {
    const until = this.at + ms;
    for (;;) {
      await flush();
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > until) break;
      this.due.delete(next[0]);
      this.at = next[1].at;
      next[1].fn();
    }
    this.at = until;
    await flush();
  }
}

/** Lets every promise chain that is ready run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

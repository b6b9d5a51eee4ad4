/**
 * Time for the worker's session parts, passed in so their tests drive it without waiting: a
 * monotonic clock in milliseconds and one-shot timers.
 */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export type TimerHandle = { readonly id: unknown };

export const systemTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const id = setTimeout(fn, ms);
    // A pending retune or watch must never keep the agent's process alive on its own.
    id.unref?.();
    return { id };
  },
  clearTimeout: (handle) => {
    if (handle) clearTimeout(handle.id as NodeJS.Timeout);
  },
};

/** `work`'s result, or null if it fails or is not back within `ms`. */
export function withDeadline<T>(work: Promise<T>, ms: number, timers: Timers): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = timers.setTimeout(() => resolve(null), ms);
    work.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      () => {
        timers.clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

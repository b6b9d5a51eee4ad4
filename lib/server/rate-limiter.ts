/**
 * Rate limits. `createRateLimiter` counts in this process (the relay's per-handoff input budget:
 * a handoff's one phone socket lives on one node). `createSharedRateLimiter` counts through the
 * shared counters, so a limit holds across every node.
 */
import type { SharedCounters } from "../cluster/shared-counters";
import type { Clock } from "../time/clock";

export interface RateLimiter {
  /** Counts one hit for `key`; false when the key is over its limit in this window. */
  take(key: string): boolean;
}

export interface SharedRateLimiter {
  /** Counts one hit for `key` on every node's behalf; false when over the limit in this window. */
  take(key: string): Promise<boolean>;
}

export function createRateLimiter(limit: number, windowMs: number, clock: Clock): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const now = clock.now().getTime();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count <= limit;
    },
  };
}

/** `name` keeps limits apart in the shared store (`creates:<agent>`, `claims:<address>`). */
export function createSharedRateLimiter(counters: SharedCounters, name: string, limit: number, windowMs: number): SharedRateLimiter {
  return { take: (key) => counters.take(`${name}:${key}`, limit, windowMs) };
}

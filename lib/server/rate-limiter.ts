/** A fixed-window counter per key, in memory. Enough for one node; swap for Redis past one. */
import type { Clock } from "../time/clock";

export interface RateLimiter {
  /** Counts one hit for `key`; false when the key is over its limit in this window. */
  take(key: string): boolean;
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

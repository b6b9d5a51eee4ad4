/**
 * Sheds a flood of bad agent keys before it costs a database lookup each. Counting failures
 * (failure-ledger.ts) keeps them out of the audit log, but every bad key still needed a query on
 * the one database handle, so a burst still queued a legitimate create behind it. Once an address
 * has failed `failuresPerWindow` times in the current window, a key from it that has not
 * authenticated recently is refused at once (429) without a lookup; a key that did authenticate
 * recently is still checked as usual, so an agent sharing the address (a NAT, the same host)
 * keeps working. In memory, bounded; one node, like the rate limiters.
 */
import { sha256Hex } from "../auth/secrets";
import type { Clock } from "../time/clock";

export interface AuthThrottleOptions {
  failuresPerWindow: number;
  windowMs: number;
  /** How long a key that authenticated counts as known (it is still checked every time). */
  knownForMs?: number;
  maxEntries?: number;
}

export interface AuthThrottle {
  /** True when this key should be refused without a lookup. */
  isShed(address: string, key: string): boolean;
  noteFailure(address: string): void;
  noteSuccess(key: string): void;
}

export function createAuthThrottle(clock: Clock, options: AuthThrottleOptions): AuthThrottle {
  const knownForMs = options.knownForMs ?? 15 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const failures = new Map<string, { start: number; count: number }>();
  const known = new Map<string, number>();

  const bounded = <V>(map: Map<string, V>, isStale: (value: V) => boolean) => {
    if (map.size < maxEntries) return;
    for (const [key, value] of map) if (isStale(value)) map.delete(key);
    // Still full of live entries: forget the oldest half rather than grow without bound.
    if (map.size >= maxEntries) [...map.keys()].slice(0, maxEntries / 2).forEach((key) => map.delete(key));
  };

  return {
    isShed(address, key) {
      const now = clock.now().getTime();
      const window = failures.get(address);
      if (!window || now - window.start >= options.windowMs || window.count < options.failuresPerWindow) return false;
      const knownAt = known.get(sha256Hex(key));
      return knownAt === undefined || now - knownAt >= knownForMs;
    },
    noteFailure(address) {
      const now = clock.now().getTime();
      let window = failures.get(address);
      if (!window || now - window.start >= options.windowMs) {
        bounded(failures, (w) => now - w.start >= options.windowMs);
        window = { start: now, count: 0 };
        failures.set(address, window);
      }
      window.count += 1;
    },
    noteSuccess(key) {
      const now = clock.now().getTime();
      bounded(known, (at) => now - at >= knownForMs);
      known.set(sha256Hex(key), now);
    },
  };
}

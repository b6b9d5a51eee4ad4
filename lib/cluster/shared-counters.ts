/**
 * Counters every node sees: fixed-window rate limits, "seen recently" marks and the previous
 * poll time. One node keeps them in memory; several nodes keep them in Redis, so a limit of 30 a
 * minute is 30 a minute for the whole deployment, not 30 per node.
 *
 * While Redis cannot be reached, each node counts in its own memory instead (the limit holds per
 * node, so at most N× for that time) rather than refusing every sign-in or letting every request
 * through; the first failure is logged and the next success says Redis is back.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logging/logger";
import type { Clock } from "../time/clock";

export interface SharedCounters {
  /** Counts one hit for `key` in its `windowMs` window; false once the window is over `limit`. */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
  /** How many hits `key` has in its current window (0 when none). */
  count(key: string): Promise<number>;
  /** Marks `key` as seen for `ttlMs`. */
  mark(key: string, ttlMs: number): Promise<void>;
  /** Whether `key` was marked and the mark has not lapsed. */
  isMarked(key: string): Promise<boolean>;
  /** Stores `value` under `key` for `ttlMs` and returns what was there before (null: nothing). */
  swap(key: string, value: number, ttlMs: number): Promise<number | null>;
}

const MAX_LOCAL_KEYS = 10_000;

/** In-process counters on the injected clock (tests move the clock instead of waiting). */
export function createLocalCounters(clock: Clock): SharedCounters {
  /** key → value and when it lapses. */
  const entries = new Map<string, { value: number; until: number }>();
  const live = (key: string, now: number) => {
    const entry = entries.get(key);
    if (entry && entry.until > now) return entry;
    entries.delete(key);
    return undefined;
  };
  const put = (key: string, value: number, until: number, now: number) => {
    if (entries.size >= MAX_LOCAL_KEYS) for (const [k, e] of entries) if (e.until <= now) entries.delete(k);
    // Still full of live keys: forget the oldest half rather than grow without bound.
    if (entries.size >= MAX_LOCAL_KEYS) [...entries.keys()].slice(0, MAX_LOCAL_KEYS / 2).forEach((k) => entries.delete(k));
    entries.set(key, { value, until });
  };
  const take = (key: string, limit: number, windowMs: number) => {
    const now = clock.now().getTime();
    const entry = live(key, now);
    const count = (entry?.value ?? 0) + 1;
    put(key, count, entry?.until ?? now + windowMs, now);
    return count <= limit;
  };
  const swap = (key: string, value: number, ttlMs: number) => {
    const now = clock.now().getTime();
    const previous = live(key, now)?.value ?? null;
    put(key, value, now + ttlMs, now);
    return previous;
  };
  // The same promise-returning shape as Redis's, so callers do not care which one they have.
  return {
    take: (key, limit, windowMs) => Promise.resolve(take(key, limit, windowMs)),
    count: (key) => Promise.resolve(live(key, clock.now().getTime())?.value ?? 0),
    mark: (key, ttlMs) => Promise.resolve(void put(key, 1, clock.now().getTime() + ttlMs, clock.now().getTime())),
    isMarked: (key) => Promise.resolve(live(key, clock.now().getTime()) !== undefined),
    swap: (key, value, ttlMs) => Promise.resolve(swap(key, value, ttlMs)),
  };
}

/**
 * Counters in Redis. Windows are Redis's own expiry (`PEXPIRE … NX` on the first hit), so they
 * need no agreement between the nodes' clocks. Keys are prefixed `baton:c:`.
 */
export function createRedisCounters(redis: Redis, fallback: SharedCounters, logger: Logger): SharedCounters {
  let isDegraded = false;
  const k = (key: string) => `baton:c:${key}`;

  async function guarded<T>(work: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      if (isDegraded) logger.info("shared counters: Redis is back");
      isDegraded = false;
      return result;
    } catch (error) {
      if (!isDegraded) logger.warn("shared counters: Redis unreachable, counting on this node", { error: (error as Error).message });
      isDegraded = true;
      return local();
    }
  }

  return {
    take: (key, limit, windowMs) =>
      guarded(
        async () => {
          const replies = await redis.multi().incr(k(key)).pexpire(k(key), windowMs, "NX").exec();
          const count = Number(replies?.[0]?.[1] ?? Number.NaN);
          if (!Number.isFinite(count)) throw new Error("unexpected reply to INCR");
          return count <= limit;
        },
        () => fallback.take(key, limit, windowMs),
      ),
    count: (key) =>
      guarded(
        async () => Number((await redis.get(k(key))) ?? 0),
        () => fallback.count(key),
      ),
    mark: (key, ttlMs) =>
      guarded(
        async () => void (await redis.set(k(key), "1", "PX", ttlMs)),
        () => fallback.mark(key, ttlMs),
      ),
    isMarked: (key) =>
      guarded(
        async () => (await redis.exists(k(key))) === 1,
        () => fallback.isMarked(key),
      ),
    swap: (key, value, ttlMs) =>
      guarded(
        async () => {
          const previous = await redis.set(k(key), String(value), "PX", ttlMs, "GET");
          return previous === null ? null : Number(previous);
        },
        () => fallback.swap(key, value, ttlMs),
      ),
  };
}

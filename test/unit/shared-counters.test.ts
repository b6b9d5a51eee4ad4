/**
 * The one-node counters behind every limit: exact splits at the limit, windows that end, marks
 * that lapse, and the previous value handed back by a swap (the poll pace). The same contract on
 * Redis is checked in test/multinode/shared-counters-redis.test.ts.
 */
import { expect, it } from "vitest";
import { createLocalCounters } from "../../lib/cluster/shared-counters";
import { createAuthThrottle } from "../../lib/server/auth-throttle";
import { createSharedRateLimiter } from "../../lib/server/rate-limiter";

function clockAt(start = 1_000_000) {
  let now = start;
  return { clock: { now: () => new Date(now) }, advance: (ms: number) => void (now += ms) };
}

it("lets exactly the limit through in a window, refuses the rest, and starts over when the window ends", async () => {
  const { clock, advance } = clockAt();
  const limiter = createSharedRateLimiter(createLocalCounters(clock), "creates", 3, 60_000);
  const first = await Promise.all(Array.from({ length: 5 }, () => limiter.take("agt_1")));
  expect(first).toEqual([true, true, true, false, false]);
  expect(await limiter.take("agt_2")).toBe(true);
  advance(59_999);
  expect(await limiter.take("agt_1")).toBe(false);
  advance(1);
  expect(await limiter.take("agt_1")).toBe(true);
});

it("keeps limits of different names apart", async () => {
  const { clock } = clockAt();
  const counters = createLocalCounters(clock);
  const claims = createSharedRateLimiter(counters, "claims", 1, 60_000);
  const signIns = createSharedRateLimiter(counters, "sign-ins", 1, 60_000);
  expect([await claims.take("127.0.0.1"), await signIns.take("127.0.0.1"), await claims.take("127.0.0.1")]).toEqual([true, true, false]);
});

it("hands back the previous value of a swap until it lapses", async () => {
  const { clock, advance } = clockAt();
  const counters = createLocalCounters(clock);
  expect(await counters.swap("poll:h", 10, 5000)).toBeNull();
  expect(await counters.swap("poll:h", 20, 5000)).toBe(10);
  advance(5000);
  expect(await counters.swap("poll:h", 30, 5000)).toBeNull();
});

it("sheds unknown keys from an address past its failures, but keeps checking a key that authenticated", async () => {
  const { clock, advance } = clockAt();
  const throttle = createAuthThrottle(createLocalCounters(clock), { failuresPerWindow: 3, windowMs: 60_000, knownForMs: 120_000 });
  await throttle.noteSuccess("bat_known");
  for (let i = 0; i < 2; i++) await throttle.noteFailure("203.0.113.7");
  expect(await throttle.isShed("203.0.113.7", "bat_new")).toBe(false);
  await throttle.noteFailure("203.0.113.7");
  expect(await throttle.isShed("203.0.113.7", "bat_new")).toBe(true);
  expect(await throttle.isShed("203.0.113.7", "bat_known")).toBe(false);
  expect(await throttle.isShed("198.51.100.1", "bat_new")).toBe(false);
  advance(60_000);
  expect(await throttle.isShed("203.0.113.7", "bat_new")).toBe(false);
});

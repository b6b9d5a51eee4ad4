/**
 * The shared counters on a real Redis: two nodes' clients count into one window, and while Redis is
 * away each keeps counting on its own (bounded, logged once) instead of refusing or letting all through.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLocalCounters, createRedisCounters, type SharedCounters } from "../../lib/cluster/shared-counters";
import { createLogger } from "../../lib/logging/logger";
import { systemClock } from "../../lib/time/clock";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";

let redis: RedisServer;
const clients: Redis[] = [];
const lines: string[] = [];

function node(): SharedCounters {
  const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500, retryStrategy: () => 50 });
  client.on("error", () => {});
  clients.push(client);
  return createRedisCounters(
    client,
    createLocalCounters(systemClock),
    createLogger("info", (l) => lines.push(l)),
  );
}
const ready = (client: Redis) => (client.status === "ready" ? Promise.resolve() : new Promise((r) => client.once("ready", r)));

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.stop();
});

it("counts hits from two nodes into one window: exactly the limit passes", async () => {
  const [a, b] = [node(), node()];
  await Promise.all(clients.map(ready));
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take("creates:agt_x", 6, 60_000)));
  expect(results.filter(Boolean)).toHaveLength(6);
  expect(await a.count("creates:agt_x")).toBe(10);
  expect(await b.swap("poll:h", 1, 10_000)).toBeNull();
  expect(await a.swap("poll:h", 2, 10_000)).toBe(1);
  await a.mark("auth-known:k", 10_000);
  expect(await b.isMarked("auth-known:k")).toBe(true);
});

it("counts on each node while Redis is away, says so once, and shares again once it is back", async () => {
  const a = node();
  await ready(clients.at(-1)!);
  await redis.kill();
  const during = await Promise.all(Array.from({ length: 4 }, () => a.take("claims:198.51.100.2", 3, 60_000)));
  expect(during).toEqual([true, true, true, false]);
  expect(lines.filter((l) => l.includes("Redis unreachable"))).toHaveLength(1);
  await redis.start();
  await ready(clients.at(-1)!);
  expect(await a.take("claims:198.51.100.2", 3, 60_000)).toBe(true);
  expect(lines.some((l) => l.includes("Redis is back"))).toBe(true);
});

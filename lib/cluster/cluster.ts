/**
 * What Baton shares between nodes, built once at start from `REDIS_URL`. Without it Baton is one
 * node: counters in memory, no stream bus, Socket.IO's in-memory adapter. With it: Socket.IO's
 * Redis adapter (rooms, lifecycle broadcasts, presence and disconnects reach every node), the
 * stream bus for sealed bytes between nodes, and shared counters for every limit.
 */
import { randomBytes } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logging/logger";
import type { Clock } from "../time/clock";
import { createLocalCounters, createRedisCounters, type SharedCounters } from "./shared-counters";
import { createRedisStreamBus, singleNodeBus, type StreamBus } from "./stream-bus";

export interface Cluster {
  /** This process, for leases and logs. */
  nodeId: string;
  isShared: boolean;
  counters: SharedCounters;
  bus: StreamBus;
  /** Socket.IO's adapter factory, or null for its default in-memory one. */
  adapter: ReturnType<typeof createAdapter> | null;
  /** Connects to Redis; refuses to start when it cannot be reached. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The adapter's clients connect on their first command (subscribing); the others wait to be asked. */
function untilReady(client: Redis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  if (client.status === "wait") return client.connect();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer within 10 s")), 10_000);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class ClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClusterError";
  }
}

export function createCluster(deps: { redisUrl: string | null; clock: Clock; logger: Logger }): Cluster {
  const nodeId = `node_${randomBytes(6).toString("hex")}`;
  const local = createLocalCounters(deps.clock);
  if (!deps.redisUrl) return { nodeId, isShared: false, counters: local, bus: singleNodeBus, adapter: null, ready: async () => {}, close: async () => {} };

  const url = deps.redisUrl;
  const base: RedisOptions = {
    lazyConnect: true,
    // Reconnect quickly and forever: a Redis restart must not need a Baton restart.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    connectionName: nodeId,
  };
  // The adapter's clients queue while reconnecting (control messages are few and matter); the
  // clients for frames and counters fail at once instead, so nothing piles up behind an outage.
  const pub = new Redis(url, base);
  const sub = new Redis(url, base);
  const fast = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
  const streamSub = new Redis(url, base);
  const clients = [pub, sub, fast, streamSub];
  let isUp = true;
  for (const client of clients) {
    // ioredis reports every failed reconnect; say it once per outage.
    client.on("error", (error: Error) => {
      if (isUp) deps.logger.warn("Redis unreachable; retrying", { error: error.message });
      isUp = false;
    });
    client.on("ready", () => {
      if (!isUp) deps.logger.info("Redis reachable again");
      isUp = true;
    });
  }

  return {
    nodeId,
    isShared: true,
    counters: createRedisCounters(fast, local, deps.logger),
    bus: createRedisStreamBus(fast, streamSub, deps.logger),
    adapter: createAdapter(pub, sub, { key: "baton", requestsTimeout: 2000 }),
    async ready() {
      try {
        await Promise.all(clients.map(untilReady));
      } catch (error) {
        await Promise.allSettled(clients.map((c) => c.quit()));
        throw new ClusterError(`REDIS_URL: cannot reach Redis (${(error as Error).message})`);
      }
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.quit()));
      for (const client of clients) client.disconnect();
    },
  };
}

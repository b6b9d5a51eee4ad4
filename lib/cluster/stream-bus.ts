/**
 * Sealed stream bytes between nodes. The relay delivers to a socket on its own node directly;
 * when the other end of a handoff is on another node, it publishes the opaque bytes on the
 * handoff's Redis channel for that end, and the node holding that end delivers them to its socket
 * with the same back-pressure rule as a local frame (a phone that cannot keep up gets fewer
 * frames). Only a node with a socket for that end subscribes, so a frame costs one hop through
 * Redis, not a broadcast to every node. Nothing is queued while Redis is away: a frame that cannot
 * be published is dropped and counted, like a frame for a slow phone (the worker sends the latest
 * frame again later).
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logging/logger";

export type StreamEnd = "agent" | "phone";

export interface StreamBus {
  /** Delivers what other nodes publish for this end of the handoff, while a socket of it is here. */
  join(handoffId: string, end: StreamEnd, deliver: (payload: Uint8Array) => void): void;
  /** One socket of this end left this node (the subscription closes with the last). */
  leave(handoffId: string, end: StreamEnd): void;
  /** Sends to the node holding that end; false when it could not be sent (no Redis, or one node). */
  publish(handoffId: string, end: StreamEnd, payload: Uint8Array): boolean;
}

/** One node: there is no other node to reach. */
export const singleNodeBus: StreamBus = { join() {}, leave() {}, publish: () => false };

const channelOf = (handoffId: string, end: StreamEnd) => `baton:s:${handoffId}:${end}`;

/** `publisher` must not queue while disconnected (enableOfflineQueue: false); `subscriber` is only for this bus. */
export function createRedisStreamBus(publisher: Redis, subscriber: Redis, logger: Logger): StreamBus {
  const joined = new Map<string, { count: number; deliver: (payload: Uint8Array) => void }>();

  subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
    joined.get(channel.toString())?.deliver(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  });
  const warn = (what: string) => (error: Error) => logger.warn(`stream bus: ${what} failed`, { error: error.message });

  return {
    join(handoffId, end, deliver) {
      const channel = channelOf(handoffId, end);
      const entry = joined.get(channel);
      if (entry) {
        entry.count += 1;
        entry.deliver = deliver;
        return;
      }
      joined.set(channel, { count: 1, deliver });
      // ioredis subscribes again by itself after a reconnect.
      subscriber.subscribe(channel).catch(warn("subscribe"));
    },
    leave(handoffId, end) {
      const channel = channelOf(handoffId, end);
      const entry = joined.get(channel);
      if (!entry) return;
      entry.count -= 1;
      if (entry.count > 0) return;
      joined.delete(channel);
      subscriber.unsubscribe(channel).catch(warn("unsubscribe"));
    },
    publish(handoffId, end, payload) {
      if (publisher.status !== "ready") return false;
      publisher.publish(channelOf(handoffId, end), Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).catch(warn("publish"));
      return true;
    },
  };
}

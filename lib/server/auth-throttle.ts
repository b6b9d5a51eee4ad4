/**
 * Sheds a flood of bad agent keys before it costs a database lookup each. Counting failures
 * (failure-ledger.ts) keeps them out of the audit log, but every bad key still needed a query on
 * the database, so a burst still queued a legitimate create behind it. Once an address has failed
 * `failuresPerWindow` times in the current window, a key from it that has not authenticated
 * recently is refused at once (429) without a lookup; a key that did authenticate recently is
 * still checked as usual, so an agent sharing the address (a NAT, the same host) keeps working.
 * Counted in the shared counters: a flood spread over several nodes is one flood.
 */
import { sha256Hex } from "../auth/secrets";
import type { SharedCounters } from "../cluster/shared-counters";

export interface AuthThrottleOptions {
  failuresPerWindow: number;
  windowMs: number;
  /** How long a key that authenticated counts as known (it is still checked every time). */
  knownForMs?: number;
}

export interface AuthThrottle {
  /** True when this key should be refused without a lookup. */
  isShed(address: string, key: string): Promise<boolean>;
  noteFailure(address: string): Promise<void>;
  noteSuccess(key: string): Promise<void>;
}

export function createAuthThrottle(counters: SharedCounters, options: AuthThrottleOptions): AuthThrottle {
  const knownForMs = options.knownForMs ?? 15 * 60_000;
  const failuresOf = (address: string) => `auth-fail:${address}`;
  // Only a digest of the key is kept, never the key.
  const knownKey = (key: string) => `auth-known:${sha256Hex(key)}`;
  return {
    async isShed(address, key) {
      if ((await counters.count(failuresOf(address))) < options.failuresPerWindow) return false;
      return !(await counters.isMarked(knownKey(key)));
    },
    async noteFailure(address) {
      await counters.take(failuresOf(address), Number.MAX_SAFE_INTEGER, options.windowMs);
    },
    async noteSuccess(key) {
      await counters.mark(knownKey(key), knownForMs);
    },
  };
}

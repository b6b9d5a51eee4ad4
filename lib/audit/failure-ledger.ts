/**
 * Failed authentication, counted instead of written one row each. Anyone can send a bad key or
 * a bad socket handshake; one row per attempt let 2,000 requests write 2,000 rows and queue a
 * legitimate create behind them in the single audit writer. Here each attempt only counts in
 * memory, per client address and per fixed window; when the window ends, one `auth.failures`
 * row per address carries the exact count, the reasons and the first and last time, so an
 * operator still sees who tried what and how hard. A burst therefore costs a bounded number of
 * rows (at most `maxAddresses` per window, the rest summed under one "other addresses" row),
 * written together in one transaction.
 */
import type { AuditLog } from "./audit-log";
import type { Clock } from "../time/clock";

export interface FailureLedgerOptions {
  windowMs: number;
  /** Distinct addresses kept per window; failures from further addresses are summed together. */
  maxAddresses?: number;
}

export interface FailureLedger {
  /** Counts one failure; never writes, never waits. */
  record(address: string, reason: string, agentId?: string): void;
  /** Writes one row per address for every window that has ended. Returns how many rows. */
  flushDue(): Promise<number>;
  /** Writes every window now, ended or not (shutdown, tests). */
  flushAll(): Promise<number>;
}

interface Tally {
  address: string;
  windowStart: number;
  count: number;
  reasons: Map<string, number>;
  agentIds: Set<string>;
  firstAt: number;
  lastAt: number;
}

export const OTHER_ADDRESSES = "(other addresses)";
const MAX_AGENT_IDS = 10;

export function createFailureLedger(audit: AuditLog, clock: Clock, options: FailureLedgerOptions): FailureLedger {
  const { windowMs } = options;
  const maxAddresses = options.maxAddresses ?? 1000;
  const tallies = new Map<string, Tally>();
  const addressesPerWindow = new Map<number, number>();

  function record(address: string, reason: string, agentId?: string): void {
    const now = clock.now().getTime();
    const windowStart = now - (now % windowMs);
    let key = `${windowStart}|${address}`;
    if (!tallies.has(key)) {
      const seen = addressesPerWindow.get(windowStart) ?? 0;
      if (seen >= maxAddresses) key = `${windowStart}|${OTHER_ADDRESSES}`;
      else addressesPerWindow.set(windowStart, seen + 1);
    }
    let tally = tallies.get(key);
    if (!tally) {
      tally = { address: key.slice(key.indexOf("|") + 1), windowStart, count: 0, reasons: new Map(), agentIds: new Set(), firstAt: now, lastAt: now };
      tallies.set(key, tally);
    }
    tally.count += 1;
    tally.lastAt = now;
    tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    if (agentId && tally.agentIds.size < MAX_AGENT_IDS) tally.agentIds.add(agentId);
  }

  async function flush(isDue: (tally: Tally) => boolean): Promise<number> {
    const ready = [...tallies.entries()].filter(([, tally]) => isDue(tally));
    if (ready.length === 0) return 0;
    for (const [key, tally] of ready) {
      tallies.delete(key);
      addressesPerWindow.delete(tally.windowStart);
    }
    await audit.write(async (_tx, append) => {
      for (const [, tally] of ready) await append(toEntry(tally, windowMs));
    });
    return ready.length;
  }

  return {
    record,
    flushDue: () => flush((tally) => tally.windowStart + windowMs <= clock.now().getTime()),
    flushAll: () => flush(() => true),
  };
}

function toEntry(tally: Tally, windowMs: number) {
  const reasons = Object.fromEntries([...tally.reasons.entries()].sort(([, a], [, b]) => b - a));
  return {
    actor: "system" as const,
    action: "auth.failures",
    decision: "deny" as const,
    // The commonest reason, so the list view says what kind of attack it was.
    reason: Object.keys(reasons)[0] ?? null,
    details: {
      address: tally.address,
      count: tally.count,
      reasons,
      ...(tally.agentIds.size > 0 ? { agentIds: [...tally.agentIds] } : {}),
      windowStart: new Date(tally.windowStart).toISOString(),
      windowEnd: new Date(tally.windowStart + windowMs).toISOString(),
      firstAt: new Date(tally.firstAt).toISOString(),
      lastAt: new Date(tally.lastAt).toISOString(),
    },
  };
}

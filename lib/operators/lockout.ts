/**
 * Sign-in backoff: a few free mistakes, then a lock that doubles with each further failure, up to
 * a cap. Pure: the store keeps the counter and applies the answer.
 */
export const LOCKOUT = {
  /** Failures allowed before the first lock. */
  freeAttempts: 4,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
} as const;

/** How long to lock after `failures` consecutive failures (0 = not locked). */
export function lockSeconds(failures: number): number {
  if (failures <= LOCKOUT.freeAttempts) return 0;
  const doublings = failures - LOCKOUT.freeAttempts - 1;
  return Math.min(LOCKOUT.maxSeconds, LOCKOUT.baseSeconds * 2 ** Math.min(doublings, 20));
}

/** The lock's end after this failure, or null when the failure does not lock. */
export function lockedUntil(failures: number, now: Date): Date | null {
  const seconds = lockSeconds(failures);
  return seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null;
}

export function isLocked(until: Date | null | undefined, now: Date): boolean {
  return Boolean(until && until.getTime() > now.getTime());
}

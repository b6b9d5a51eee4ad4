/**
 * When a failed webhook delivery is tried again. Attempt 1 goes out at once; each failure waits
 * longer (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h), and after 8 attempts — about 4 h 43 min —
 * the delivery is given up and marked failed. Pure: time is a parameter.
 */
export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600, 10_800] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** After `attempts` failed attempts (the last at `lastAt`), when to try next, or null to give up. */
export function nextAttemptAfter(attempts: number, lastAt: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_SECONDS[attempts - 1] ?? RETRY_DELAYS_SECONDS[0];
  return new Date(lastAt.getTime() + delay * 1000);
}

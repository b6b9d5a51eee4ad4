/**
 * Operator sign-in: constant work whether or not the account exists, a backoff lock after
 * repeated failures (audited), and a generic answer that does not say which part was wrong.
 * Expected outcomes are return values; the HTTP adapter maps them to errors.
 */
import type { AuditLog } from "../audit/audit-log";
import type { FailureLedger } from "../audit/failure-ledger";
import { sha256Hex } from "../auth/secrets";
import type { Db } from "../db/open-database";
import type { Clock } from "../time/clock";
import { isLocked, lockedUntil } from "./lockout";
import { decoyHash, verifyPassword } from "./password-hash";

export type SignInResult =
  { ok: true; operatorId: string; email: string } | { ok: false; reason: "invalid_credentials" | "locked"; retryAfterSeconds?: number };

/**
 * Failures for emails with no account are counted in memory with the same backoff, so a lock
 * cannot be used to learn which emails have accounts.
 */
interface PhantomCounter {
  failures: number;
  lockedUntil: Date | null;
}
const MAX_PHANTOMS = 10_000;

export function createSignIn(db: Db, audit: AuditLog, clock: Clock, failures: FailureLedger) {
  const phantoms = new Map<string, PhantomCounter>();

  const retryAfter = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

  async function phantomFailure(email: string, password: string, address: string, now: Date): Promise<SignInResult> {
    const key = sha256Hex(email);
    const counter = phantoms.get(key) ?? { failures: 0, lockedUntil: null };
    if (isLocked(counter.lockedUntil, now)) return { ok: false, reason: "locked", retryAfterSeconds: retryAfter(counter.lockedUntil!, now) };
    await verifyPassword(password, await decoyHash());
    counter.failures += 1;
    counter.lockedUntil = lockedUntil(counter.failures, now);
    if (phantoms.size >= MAX_PHANTOMS) phantoms.clear();
    phantoms.set(key, counter);
    // The email itself is not recorded: it may be a password typed into the wrong field. No account
    // is involved, so anyone can cause this: counted per address (failure-ledger.ts), not a row each.
    failures.record(address, "sign_in_unknown_account");
    return counter.lockedUntil
      ? { ok: false, reason: "locked", retryAfterSeconds: retryAfter(counter.lockedUntil, now) }
      : { ok: false, reason: "invalid_credentials" };
  }

  async function signIn(email: string, password: string, address: string): Promise<SignInResult> {
    const now = clock.now();
    const operator = await db.operator.findUnique({ where: { email } });
    if (!operator) return phantomFailure(email, password, address, now);

    if (isLocked(operator.lockedUntil, now)) {
      await audit.append({ actor: "operator", operatorId: operator.id, action: "operator.sign_in", decision: "deny", reason: "locked" });
      return { ok: false, reason: "locked", retryAfterSeconds: retryAfter(operator.lockedUntil!, now) };
    }
    const isMatch = await verifyPassword(password, operator.passwordHash);
    if (isMatch && !operator.disabledAt) {
      await audit.write(async (tx, append) => {
        await tx.operator.update({ where: { id: operator.id }, data: { failedAttempts: 0, lockedUntil: null, lastLoginAt: now } });
        await append({ actor: "operator", operatorId: operator.id, action: "operator.sign_in", decision: "allow" });
      });
      return { ok: true, operatorId: operator.id, email: operator.email };
    }
    return audit.write(async (tx, append): Promise<SignInResult> => {
      // Increment in the database, not from the row read above: parallel guesses all count.
      const updated = await tx.operator.update({ where: { id: operator.id }, data: { failedAttempts: { increment: 1 } } });
      const until = lockedUntil(updated.failedAttempts, now);
      const reason = operator.disabledAt ? "disabled" : "bad_password";
      await append({
        actor: "operator",
        operatorId: operator.id,
        action: "operator.sign_in",
        decision: "deny",
        reason,
        details: { failedAttempts: updated.failedAttempts },
      });
      if (!until) return { ok: false, reason: "invalid_credentials" };
      await tx.operator.update({ where: { id: operator.id }, data: { lockedUntil: until } });
      await append({
        actor: "system",
        operatorId: operator.id,
        action: "operator.locked",
        decision: "deny",
        reason: "too_many_failures",
        details: { failedAttempts: updated.failedAttempts, until: until.toISOString() },
      });
      return { ok: false, reason: "locked", retryAfterSeconds: retryAfter(until, now) };
    });
  }

  /**
   * Attempts for one email run one at a time: the lock is read before the (slow) password check and
   * written after it, so parallel guesses would otherwise all be checked before the first lock lands.
   */
  const queues = new Map<string, Promise<unknown>>();
  /** @param address the client's address, which counts failures on unknown accounts */
  function signInSerially(email: string, password: string, address = "unknown"): Promise<SignInResult> {
    const key = sha256Hex(email);
    const previous = queues.get(key) ?? Promise.resolve();
    const attempt = previous.catch(() => undefined).then(() => signIn(email, password, address));
    const settled = attempt.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return attempt;
  }

  return { signIn: signInSerially };
}

export type SignIn = ReturnType<typeof createSignIn>["signIn"];

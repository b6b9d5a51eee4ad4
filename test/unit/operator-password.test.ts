import { describe, expect, it } from "vitest";
import { LOCKOUT, isLocked, lockSeconds, lockedUntil } from "../../lib/operators/lockout";
import { generatePassword, hashPassword, verifyPassword } from "../../lib/operators/password-hash";

const cheap = { n: 1024, r: 8, p: 1 };

describe("operator password hashing", () => {
  it("stores a self-describing scrypt string with a random salt, never the password", async () => {
    const a = await hashPassword("correct horse battery", cheap);
    const b = await hashPassword("correct horse battery", cheap);
    expect(a).toMatch(/^scrypt\$v=1\$n=1024,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse");
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery", cheap);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("verifies with the cost written in the hash (the default cost can rise later)", async () => {
    const stored = await hashPassword("pass phrase one", { n: 2048, r: 4, p: 1 });
    expect(await verifyPassword("pass phrase one", stored)).toBe(true);
  });

  it("refuses malformed or tampered hashes without throwing, including absurd costs", async () => {
    const stored = await hashPassword("pass phrase one", cheap);
    expect(await verifyPassword("pass phrase one", "plain-text")).toBe(false);
    expect(await verifyPassword("pass phrase one", stored.replace("n=1024", "n=1048576000"))).toBe(false);
    expect(await verifyPassword("pass phrase one", stored.replace("n=1024", "n=1000"))).toBe(false);
    expect(await verifyPassword("pass phrase one", stored.replace("n=1024", "n=2048"))).toBe(false);
  });

  it("generates 160-bit passwords", () => {
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});

describe("sign-in lockout backoff", () => {
  it("allows a few mistakes, then locks for a time that doubles up to a cap", () => {
    for (let f = 0; f <= LOCKOUT.freeAttempts; f++) expect(lockSeconds(f)).toBe(0);
    expect(lockSeconds(5)).toBe(30);
    expect(lockSeconds(6)).toBe(60);
    expect(lockSeconds(7)).toBe(120);
    expect(lockSeconds(12)).toBe(LOCKOUT.maxSeconds);
    expect(lockSeconds(1_000)).toBe(LOCKOUT.maxSeconds);
  });

  it("computes the lock's end from the given time and tells whether it still holds", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    expect(lockedUntil(3, now)).toBeNull();
    const until = lockedUntil(5, now)!;
    expect(until.toISOString()).toBe("2026-12-01T10:00:30.000Z");
    expect(isLocked(until, new Date("2026-12-01T10:00:29Z"))).toBe(true);
    expect(isLocked(until, new Date("2026-12-01T10:00:30Z"))).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

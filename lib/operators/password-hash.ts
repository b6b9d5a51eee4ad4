/**
 * Operator passwords: scrypt with a random salt, stored as one self-describing string
 * (`scrypt$v=1$n=32768,r=8,p=1$<salt>$<hash>`, base64url), so the cost can rise later without
 * breaking older hashes. Verification is constant-time and never throws on a malformed hash.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptCost {
  n: number;
  r: number;
  p: number;
}

/** OWASP's scrypt floor is N=2^17 with r=8; 2^15 keeps a sign-in near 100 ms on 2 small cores. */
export const DEFAULT_COST: ScryptCost = { n: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = /^scrypt\$v=1\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]{22,})\$([A-Za-z0-9_-]{43})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly N=2^15, r=8.
  const options: ScryptOptions = { N: cost.n, r: cost.r, p: cost.p, maxmem: 256 * cost.n * cost.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize("NFC"), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return `scrypt$v=1$n=${cost.n},r=${cost.r},p=${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const cost = { n: Number(n), r: Number(r), p: Number(p) };
  // Refuse absurd costs a tampered row could carry (a denial of service on sign-in).
  if (cost.n > 2 ** 20 || cost.r > 16 || cost.p > 4 || (cost.n & (cost.n - 1)) !== 0) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), cost);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A real hash of a random password, computed once, that unknown emails are checked against so a
 * sign-in for an account that does not exist takes as long as one that does.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("base64url"));
  return decoy;
}

/** A password for a new operator when none is given: 20 random bytes, base64url (160 bits). */
export function generatePassword(): string {
  return randomBytes(20).toString("base64url");
}

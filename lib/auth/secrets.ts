/** Server-side secret material: link tokens, API keys, confirmation codes and their hashes. */
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

export const API_KEY_PREFIX = "bat_";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** 256 random bits, base64url. */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** RFC 8628 §6.1: consonants only, so no words and no look-alike characters. */
const CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

export function newConfirmationCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function formatConfirmationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const API_KEY_PATTERN = /^bat_[A-Za-z0-9_-]{43}$/;

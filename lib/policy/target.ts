/**
 * Target policy: which origin a handoff may open, and which site's cookies may flow back.
 * Pure; the registrable domain comes from tldts with private suffixes (so `a.github.io` is its own
 * site, not `github.io`).
 */
import { getDomain } from "tldts";

export type TargetCheck =
  { ok: true; origin: string; site: string; url: string } | { ok: false; reason: "malformed" | "scheme" | "credentials" | "not_allowed" };

/** The registrable domain of a host, or the host itself for IPs and single-label names. */
export function siteOf(hostname: string): string {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

export function normalizeOrigin(input: string): string | null {
  try {
    const url = new URL(input);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Checks a login URL against an agent's allowed origins (exact origin match; default deny). */
export function checkTarget(loginUrl: string, allowedOrigins: readonly string[]): TargetCheck {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "scheme" };
  // `https://bank.test@evil.test` reads like bank.test but goes to evil.test.
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  if (!allowedOrigins.includes(url.origin)) return { ok: false, reason: "not_allowed" };
  return { ok: true, origin: url.origin, site: siteOf(url.hostname), url: url.href };
}

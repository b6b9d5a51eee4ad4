/**
 * Which webhook URLs Baton may send to. Like every outbound address: https only, no credentials,
 * and never a private, loopback, link-local or metadata address *as resolved* — unless the
 * operator listed that exact origin in WEBHOOK_ALLOWED_PRIVATE_ORIGINS (which also permits http).
 * The check returns the address it approved, and the sender connects to exactly that address, so a
 * second DNS answer (rebinding) cannot switch it.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "../policy/private-address";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution, passed in so tests can play any DNS answer. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export const WebhookUrlRefusals = {
  malformed: "is not a URL",
  too_long: "is longer than 2048 characters",
  scheme: "must be https (http only for an origin in WEBHOOK_ALLOWED_PRIVATE_ORIGINS)",
  credentials: "must not contain a user name or password",
  private_address: "points to a private, loopback, link-local or metadata address (allow the exact origin in WEBHOOK_ALLOWED_PRIVATE_ORIGINS)",
  unresolvable: "has a host name that does not resolve",
} as const;
export type WebhookUrlRefusal = keyof typeof WebhookUrlRefusals;

export type WebhookUrlShape = { ok: true; url: URL; isAllowedOrigin: boolean } | { ok: false; reason: WebhookUrlRefusal };
export type WebhookTarget = { ok: true; url: URL; address: ResolvedAddress } | { ok: false; reason: WebhookUrlRefusal };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** What can be told without DNS: syntax, scheme, credentials, and IP literals. */
export function checkWebhookUrlShape(raw: string, allowedOrigins: readonly string[]): WebhookUrlShape {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: "too_long" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  url.hash = "";
  const isAllowedOrigin = allowedOrigins.includes(url.origin);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isAllowedOrigin)) return { ok: false, reason: "scheme" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  if (!isAllowedOrigin && isPrivateAddress(url.hostname)) return { ok: false, reason: "private_address" };
  return { ok: true, url, isAllowedOrigin };
}

/**
 * The full check, with DNS: every address the name resolves to must be public (a name that answers
 * with one public and one private address is refused whole). Returns the address to connect to.
 */
export async function resolveWebhookTarget(raw: string, allowedOrigins: readonly string[], resolve: Resolve): Promise<WebhookTarget> {
  const shape = checkWebhookUrlShape(raw, allowedOrigins);
  if (!shape.ok) return shape;
  const host = shape.url.hostname.replace(/^\[|\]$/g, "");
  const family = isIP(host);
  if (family !== 0) return { ok: true, url: shape.url, address: { address: host, family: family === 6 ? 6 : 4 } };
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, reason: "unresolvable" };
  }
  if (addresses.length === 0) return { ok: false, reason: "unresolvable" };
  if (!shape.isAllowedOrigin && addresses.some((a) => isPrivateAddress(a.address))) return { ok: false, reason: "private_address" };
  return { ok: true, url: shape.url, address: addresses[0] };
}

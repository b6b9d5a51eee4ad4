/**
 * The REST contract between an agent (the worker SDK) and the Baton server. Every body that
 * crosses the network is parsed with these schemas on both sides; types come from `z.infer`.
 */
import { z } from "zod";
import { HandoffStates } from "../lifecycle/states";
import { SafeText } from "../text/safe-text";
import { RegistrableSiteSchema } from "./site-name";

export const SuccessKinds = ["url", "selector", "cookie", "none"] as const;

export const CreateHandoffRequestSchema = z.strictObject({
  /** The login page to open for the user; its origin is the target and must be allowed for the agent. */
  loginUrl: z.url({ protocol: /^https?$/ }).max(2048),
  /** Why the agent needs the user to sign in, shown to the user as the agent's own words. */
  reason: SafeText(280, { isMultiline: true }),
  /** The agent's own reference for the end user (not shown to the user). */
  endUserRef: SafeText(128).optional(),
  ttlSeconds: z.int().min(10).max(3600).optional(),
  /** Identity-provider sites the handoff page may visit to sign in (never handed over); each must be in the agent's scope. */
  identityProviders: z.array(RegistrableSiteSchema).max(10).default([]),
  /** Further sites of the same service whose cookies are handed over with the target's; each must be in the agent's hand-over scope. */
  handOverSites: z.array(RegistrableSiteSchema).max(10).default([]),
  /** Which kind of success rule the agent applies (the rule itself stays in the agent). */
  successKind: z.enum(SuccessKinds).default("none"),
  /** The agent will also take the target origin's storage; the user is told before approving. */
  includeStorage: z.boolean().default(false),
});
export type CreateHandoffRequest = z.infer<typeof CreateHandoffRequestSchema>;

export const CreateHandoffResponseSchema = z.strictObject({
  id: z.string(),
  token: z.string(),
  linkPath: z.string(),
  confirmationCode: z.string(),
  expiresAt: z.iso.datetime(),
  targetOrigin: z.string(),
  targetSite: z.string(),
  /** Seconds the agent should wait between status polls (RFC 8628 §3.5). */
  pollInterval: z.int(),
  /** A live session with no input from the phone for this long ends (the worker reports `idle`). */
  sessionIdleSeconds: z.int(),
});
export type CreateHandoffResponse = z.infer<typeof CreateHandoffResponseSchema>;

export const CookieMetaSchema = z.strictObject({
  name: z.string().max(256),
  domain: z.string().max(256),
  path: z.string().max(1024),
  expires: z.number(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(["Strict", "Lax", "None"]),
  partitioned: z.boolean().optional(),
});
export type CookieMeta = z.infer<typeof CookieMetaSchema>;

export const HandoffStatusSchema = z.strictObject({
  id: z.string(),
  state: z.enum(HandoffStates),
  targetOrigin: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  openedAt: z.iso.datetime().nullable(),
  approvedAt: z.iso.datetime().nullable(),
  liveAt: z.iso.datetime().nullable(),
  capturedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  endReason: z.string().nullable(),
  reuseDetected: z.boolean(),
  cookies: z.array(CookieMetaSchema.pick({ name: true, domain: true })).nullable(),
});
export type HandoffStatus = z.infer<typeof HandoffStatusSchema>;

/** What the worker reports as the handoff moves on its side. */
export const ReportRequestSchema = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("live") }),
  z.strictObject({ event: z.literal("captured"), cookies: z.array(CookieMetaSchema).max(300) }),
  z.strictObject({ event: z.literal("completed") }),
  /** The reason is stored as the end reason, shown on the phone and audited: plain text only. */
  z.strictObject({ event: z.literal("failed"), reason: SafeText(200) }),
  z.strictObject({ event: z.literal("cancelled") }),
  /**
   * Nobody touched or typed on the phone for the session's idle time. Only the worker can tell: it
   * opens the stream, where frame acks and repaints are not input.
   */
  z.strictObject({ event: z.literal("idle") }),
  /** The agent signed its context out of the site after its task (audit only). */
  z.strictObject({ event: z.literal("released") }),
]);
export type ReportRequest = z.infer<typeof ReportRequestSchema>;

/**
 * What the worker may report as a blocked request's origin: an http(s) origin exactly as
 * `URL.origin` spells it, a bare scheme (`file:`) or `invalid`. A path or query could carry what
 * the user was doing on the page, so anything more than an origin is refused, not trimmed.
 */
function isBareOrigin(text: string): boolean {
  if (text === "invalid" || /^[a-z][a-z0-9+.-]{0,31}:$/.test(text)) return true;
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text;
  } catch {
    return false;
  }
}

/** The worker refused a request of the handoff page: the origin only, never the path or query. */
export const BlockedReportSchema = z.strictObject({
  origin: z.string().max(300).refine(isBareOrigin, { message: 'must be a bare origin (scheme://host[:port]), a scheme (file:) or "invalid"' }),
  reason: z.enum(["scheme", "site", "private_address", "unresolvable"]),
  isNavigation: z.boolean(),
  /**
   * `page`: the page asked for it (a request, a navigation, a redirect hop of one). `browser`: the
   * handoff browser's own connection that no page request accounts for — Chromium's background
   * services, preconnects — refused all the same, but not something the page did.
   */
  source: z.enum(["page", "browser"]).default("page"),
});
export type BlockedReport = z.infer<typeof BlockedReportSchema>;

export const BlockedReportResponseSchema = z.strictObject({ ok: z.literal(true) });
export type BlockedReportResponse = z.infer<typeof BlockedReportResponseSchema>;

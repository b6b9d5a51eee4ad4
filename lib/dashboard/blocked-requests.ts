/**
 * A request the handoff's browser refused, sorted by what it was: the page navigating away (a
 * tapped link, a redirect), a subresource of the page (a script, an image, a fetch), or Chromium's
 * own background traffic (its services, not the page the person sees). Only the worker can tell
 * the last apart, so it labels such reports; nothing here guesses from the host name — a blocked
 * fonts.googleapis.com can be the login page's own request.
 */
export const BlockedKinds = ["navigation", "subresource", "background"] as const;
export type BlockedKind = (typeof BlockedKinds)[number];

export interface BlockedRequest {
  at: string;
  origin: string;
  reason: string;
  kind: BlockedKind;
}

export function classifyBlocked(at: string, reason: string | null, details: Record<string, unknown>): BlockedRequest {
  const kind: BlockedKind = details.source === "browser" ? "background" : details.isNavigation === true ? "navigation" : "subresource";
  return { at, origin: typeof details.blockedOrigin === "string" ? details.blockedOrigin : "unknown", reason: reason ?? "", kind };
}

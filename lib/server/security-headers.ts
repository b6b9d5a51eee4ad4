/**
 * Headers for every page Baton serves. The handoff page gets the strictest set: a nonce-based CSP
 * (Next reads the nonce back from the request's CSP header and puts it on its own scripts),
 * no framing, no referrer (the path carries the link token), no caching.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export function applyPageHeaders(req: IncomingMessage, res: ServerResponse, isDev: boolean): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = [
    "default-src 'self'",
    // Dev mode (React refresh) needs eval; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  req.headers["content-security-policy"] = csp;
  res.setHeader("content-security-policy", csp);
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  const path = (req.url ?? "/").split("?")[0];
  if (path.startsWith("/h/") || path.startsWith("/dashboard")) res.setHeader("cache-control", "no-store");
}

/**
 * Moves the target site's session from the handoff context to the agent's context, inside the
 * agent's own process: cookie values never cross the network. Only cookies whose domain belongs to
 * the target's registrable domain (public-suffix aware, private suffixes included) or to a further
 * site of the same service the agent explicitly listed for hand-over are taken; identity-provider
 * cookies always stay behind.
 */
import type { BrowserContext, Cookie } from "playwright-core";
import { siteOf } from "../lib/policy/target";
import type { CookieMeta } from "../lib/protocol/api";

export interface CaptureOptions {
  targetSite: string;
  /** Further sites (registrable domains) of the same service whose cookies are handed over too. */
  handOverSites?: readonly string[];
  /** Cap on cookie lifetime in seconds from now; session cookies stay session cookies. */
  maxLifetimeSeconds?: number;
  nowSeconds?: number;
}

export function cookieSite(cookie: Pick<Cookie, "domain">): string {
  return siteOf(cookie.domain.replace(/^\./, ""));
}

export function selectCookies(cookies: readonly Cookie[], options: CaptureOptions): Cookie[] {
  const sites = new Set([options.targetSite, ...(options.handOverSites ?? [])]);
  const now = options.nowSeconds ?? Date.now() / 1000;
  return cookies
    .filter((c) => sites.has(cookieSite(c)))
    .map((c) => {
      if (options.maxLifetimeSeconds === undefined || c.expires === -1) return c;
      return { ...c, expires: Math.min(c.expires, now + options.maxLifetimeSeconds) };
    });
}

/**
 * Adds cookies to a context keeping every attribute. `__Host-` cookies must have no Domain
 * attribute, so they (and every host-only cookie) are added by URL; domain cookies keep their
 * leading-dot domain.
 */
export async function injectCookies(context: BrowserContext, cookies: readonly Cookie[]): Promise<void> {
  const toAdd = cookies.map((c) => {
    const isHostOnly = !c.domain.startsWith(".");
    const base = {
      name: c.name,
      value: c.value,
      expires: c.expires,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite,
      ...(c.partitionKey ? { partitionKey: c.partitionKey } : {}),
    };
    if (isHostOnly) {
      const url = `${c.secure ? "https" : "http"}://${c.domain}${c.path}`;
      return c.path === "/" ? { ...base, url } : { ...base, domain: c.domain, path: c.path };
    }
    return { ...base, domain: c.domain, path: c.path };
  });
  if (toAdd.length > 0) await context.addCookies(toAdd);
}

/** What the server may know about the cookies: everything but the values. */
export function cookieMetadata(cookies: readonly Cookie[]): CookieMeta[] {
  return cookies.map((c) => ({
    name: c.name,
    domain: c.domain,
    path: c.path,
    expires: c.expires,
    httpOnly: c.httpOnly,
    secure: c.secure,
    sameSite: c.sameSite,
    ...(c.partitionKey ? { partitioned: true } : {}),
  }));
}

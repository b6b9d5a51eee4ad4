/**
 * What a sign-in created, and so what may be handed over. A handoff context starts empty, but a
 * login page sets cookies of its own as it loads (a CSRF token, a pre-login session id); handing
 * those over after a sign-in that never happened would be an empty success. So the session's state
 * is read once when the login page has loaded (the baseline) and again when success is recognised:
 *
 * - **something**: a cookie of a hand-over site was added, or changed value or expiry, since the
 *   baseline — the sign-in wrote the session there. Every current cookie of those sites goes over
 *   (the session may need the pre-login ones too), plus storage when the agent asked for it.
 * - **storage only**: no such cookie, but the target origin's localStorage or sessionStorage gained
 *   or changed an entry. With `includeStorage` that is handed over; without, the handoff fails with
 *   a reason that says to pass it.
 * - **nothing**: neither. Not a success, whatever the page looks like.
 *
 * Values are compared here, in the agent's process; they never leave it.
 */
import type { BrowserContext, Cookie, Page } from "playwright-core";
import { captureStorage, type OriginStorage } from "./storage-capture";
import { cookieSite, selectCookies } from "./cookie-capture";

export interface HandOverScope {
  targetSite: string;
  targetOrigin: string;
  /** Further sites of the same service whose cookies go over too (never identity providers). */
  handOverSites: readonly string[];
  includeStorage: boolean;
  maxLifetimeSeconds?: number;
}

export interface Baseline {
  cookies: ReadonlyMap<string, string>;
  storage: OriginStorage | null;
}

export type HandOver = { kind: "something"; cookies: Cookie[]; storage: OriginStorage | null } | { kind: "storage_only" } | { kind: "nothing" };

const cookieKey = (c: Cookie) => `${c.name}\u0000${c.domain}\u0000${c.path}\u0000${c.partitionKey ?? ""}`;
/** A cookie's value. Not its expiry: sliding sessions and analytics cookies renew that on every page view. */
const cookieState = (c: Cookie) => c.value;

function siteCookies(all: readonly Cookie[], scope: HandOverScope): Cookie[] {
  const sites = new Set([scope.targetSite, ...scope.handOverSites]);
  return all.filter((c) => sites.has(cookieSite(c)));
}

export async function takeBaseline(context: BrowserContext, page: Page, scope: HandOverScope): Promise<Baseline> {
  const cookies = new Map(siteCookies(await context.cookies(), scope).map((c) => [cookieKey(c), cookieState(c)]));
  return { cookies, storage: await captureStorage(page, scope.targetOrigin).catch(() => null) };
}

/**
 * The baseline after the login page loaded again: cookies it already knew take their new values
 * (a CSRF token re-issued on load is no sign-in), but a cookie that appeared since the first reading
 * is kept out (an XHR sign-in followed by a reload of the login URL is a sign-in). Storage likewise.
 */
export function refreshBaseline(first: Baseline, again: Baseline): Baseline {
  const cookies = new Map(first.cookies);
  for (const [key, state] of again.cookies) if (cookies.has(key)) cookies.set(key, state);
  const keep = (old: [string, string][] | undefined, now: [string, string][] | undefined) => {
    const known = new Map(old ?? []);
    for (const [k, v] of now ?? []) if (known.has(k)) known.set(k, v);
    return [...known];
  };
  const storage = first.storage
    ? { ...first.storage, local: keep(first.storage.local, again.storage?.local), session: keep(first.storage.session, again.storage?.session) }
    : null;
  return { cookies, storage };
}

function hasCookieChange(now: readonly Cookie[], baseline: Baseline): boolean {
  return now.some((c) => baseline.cookies.get(cookieKey(c)) !== cookieState(c));
}

function hasStorageChange(now: OriginStorage | null, before: OriginStorage | null): boolean {
  if (!now) return false;
  const changed = (entries: [string, string][], old: [string, string][] | undefined) => {
    const previous = new Map(old ?? []);
    return entries.some(([k, v]) => previous.get(k) !== v);
  };
  return changed(now.local, before?.local) || changed(now.session, before?.session);
}

export async function decideHandOver(context: BrowserContext, page: Page, baseline: Baseline, scope: HandOverScope): Promise<HandOver> {
  const now = siteCookies(await context.cookies(), scope);
  const storage = await captureStorage(page, scope.targetOrigin).catch(() => null);
  const storageChanged = hasStorageChange(storage, baseline.storage);
  if (!hasCookieChange(now, baseline)) {
    if (!storageChanged) return { kind: "nothing" };
    if (!scope.includeStorage) return { kind: "storage_only" };
  }
  const cookies = selectCookies(now, { targetSite: scope.targetSite, handOverSites: scope.handOverSites, maxLifetimeSeconds: scope.maxLifetimeSeconds });
  return { kind: "something", cookies, storage: scope.includeStorage ? storage : null };
}

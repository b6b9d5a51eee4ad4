/**
 * Decides when the user has signed in: the agent's rule if it gave one (URL, selector, cookie
 * name), else a heuristic (left the login pages, no visible password or one-time-code field,
 * the page settled). The user's "I'm signed in" counts too (handled by the session). None of them
 * is success on its own: the sign-in must also have created something to hand over (hand-over.ts).
 */
import type { BrowserContext, Page } from "playwright-core";
import { siteOf } from "../lib/policy/target";

export type SuccessRule = { url: RegExp | string } | { selector: string } | { cookie: string };

export function successKind(rule: SuccessRule | undefined): "url" | "selector" | "cookie" | "none" {
  if (!rule) return "none";
  return "url" in rule ? "url" : "selector" in rule ? "selector" : "cookie";
}

const LOGINISH = /log-?in|sign-?in|signon|auth|sso|otp|mfa|2fa|verify|challenge|session/i;

/**
 * Whether the page is somewhere a sign-in can have ended: an http(s) document of the target's site
 * or a site handed over with it — never Chromium's error page, a blank page or a page Baton refused
 * (those stay where they were, see navigation-keeper.ts), nor the identity provider mid-flow.
 */
export function isOnSitePage(page: Page, sites: readonly string[]): boolean {
  if (page.isClosed()) return false;
  let url: URL;
  try {
    url = new URL(page.url());
  } catch {
    return false;
  }
  return (url.protocol === "https:" || url.protocol === "http:") && sites.includes(siteOf(url.hostname));
}

/** Whether the page has left the login page: not the login URL, nothing login-like in its path, no secret field. */
export async function hasLeftLogin(page: Page, loginUrl: string): Promise<boolean> {
  const here = new URL(page.url());
  const login = new URL(loginUrl);
  if (here.href === login.href || LOGINISH.test(here.pathname)) return false;
  const hasSecretField = await page
    .locator('input[type="password"]:visible, input[autocomplete="one-time-code"]:visible')
    .count()
    .catch(() => 1);
  return hasSecretField === 0;
}

/** The agent's rule, else the heuristic; either way only on a page of the handed-over sites. */
export async function isSignedIn(
  page: Page,
  context: BrowserContext,
  rule: SuccessRule | undefined,
  loginUrl: string,
  sites: readonly string[],
): Promise<boolean> {
  if (!isOnSitePage(page, sites)) return false;
  if (rule && "url" in rule) {
    const url = page.url();
    return typeof rule.url === "string" ? url.startsWith(rule.url) : rule.url.test(url);
  }
  if (rule && "selector" in rule) {
    return page
      .locator(rule.selector)
      .first()
      .isVisible()
      .catch(() => false);
  }
  if (rule && "cookie" in rule) {
    const cookies = await context.cookies(page.url()).catch(() => []);
    return cookies.some((c) => c.name === rule.cookie);
  }
  return hasLeftLogin(page, loginUrl);
}

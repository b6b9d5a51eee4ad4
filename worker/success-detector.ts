/**
 * Decides when the user has signed in: the agent's rule if it gave one (URL, selector, cookie
 * name), else a heuristic (left the login pages, no visible password or one-time-code field,
 * the page settled). The user's "I'm signed in" always counts too (handled by the session).
 */
import type { BrowserContext, Page } from "playwright-core";

export type SuccessRule = { url: RegExp | string } | { selector: string } | { cookie: string };

export function successKind(rule: SuccessRule | undefined): "url" | "selector" | "cookie" | "none" {
  if (!rule) return "none";
  return "url" in rule ? "url" : "selector" in rule ? "selector" : "cookie";
}

const LOGINISH = /log-?in|sign-?in|signon|auth|sso|otp|mfa|2fa|verify|challenge|session/i;

export async function isSignedIn(page: Page, context: BrowserContext, rule: SuccessRule | undefined, loginUrl: string): Promise<boolean> {
  if (page.isClosed()) return false;
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
  const here = new URL(page.url());
  const login = new URL(loginUrl);
  if (here.href === login.href || LOGINISH.test(here.pathname)) return false;
  const hasSecretField = await page
    .locator('input[type="password"]:visible, input[autocomplete="one-time-code"]:visible')
    .count()
    .catch(() => 1);
  return hasSecretField === 0;
}

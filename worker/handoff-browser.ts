/**
 * The isolated browser context a handoff runs in: fresh and non-persistent, in the same browser
 * as the agent's page (so the browser's launch flags apply), emulating a phone, with no service
 * workers, downloads or permissions, dialogs dismissed, and requests confined to the target site
 * plus the sites the agent allowed.
 */
import type { Browser, BrowserContext, Page, Route } from "playwright";
import { siteOf } from "../lib/policy/target";

export interface HandoffBrowserOptions {
  browser: Browser;
  loginUrl: string;
  /** Registrable domains the handoff page may load from: the target's, plus identity providers. */
  allowedSites: readonly string[];
  viewport?: { width: number; height: number };
  onBlocked?: (origin: string, isNavigation: boolean) => void;
}

export interface HandoffBrowser {
  context: BrowserContext;
  page: Page;
}

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

export async function openHandoffBrowser(options: HandoffBrowserOptions): Promise<HandoffBrowser> {
  const version = options.browser.version().split(".")[0] ?? "120";
  const context = await options.browser.newContext({
    viewport: options.viewport ?? { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version}.0.0.0 Mobile Safari/537.36`,
    // Requests served by a service worker would bypass the routing below.
    serviceWorkers: "block",
    acceptDownloads: false,
    permissions: [],
  });
  const allowed = new Set(options.allowedSites);
  await context.route("**/*", (route: Route) => {
    const request = route.request();
    let url: URL;
    try {
      url = new URL(request.url());
    } catch {
      return route.abort("blockedbyclient");
    }
    const isAllowed = (ALLOWED_SCHEMES.has(url.protocol) && allowed.has(siteOf(url.hostname))) || url.protocol === "data:" && !request.isNavigationRequest();
    if (isAllowed) return route.continue();
    options.onBlocked?.(url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol, request.isNavigationRequest());
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.dismiss().catch(() => undefined));
  context.on("page", (popup) => popup.on("dialog", (d) => void d.dismiss().catch(() => undefined)));
  return { context, page };
}

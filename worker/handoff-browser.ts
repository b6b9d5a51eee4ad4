/**
 * The isolated browser context a handoff runs in: fresh and non-persistent, in the same browser
 * as the agent's page (so the browser's launch flags apply), emulating a phone, with no service
 * workers, downloads or permissions, dialogs dismissed, and requests confined to the target site
 * plus the sites the agent allowed.
 */
import type { Browser, BrowserContext, Page, Request, Route } from "playwright-core";
import { createEgressGuard, type EgressVerdict, type Resolver } from "./egress-guard";
import { startEgressProxy } from "./egress-proxy";
import { keepPagesOnRefusal } from "./navigation-keeper";
import { pageLockdown } from "./page-lockdown";
import { pageScript } from "./page-script";
import { steadyCaret } from "./steady-caret";
import { siteOf } from "../lib/policy/target";

/** A request Baton refused in the handoff context. `url` stays in this process: only its origin is ever reported. */
export interface BlockedRequest {
  verdict: Extract<EgressVerdict, { ok: false }>;
  /**
   * A page (or popup) itself was to go there. An iframe's document is not: a hidden third-party
   * frame (a silent OIDC check, a widget) is refused without a word to the person.
   */
  isNavigation: boolean;
  source: "page" | "browser";
  url: string;
  /** The page it was for, when known (navigations). */
  page?: Page;
}

export interface HandoffBrowserOptions {
  browser: Browser;
  /** The origin the operator allowlisted for this handoff. */
  targetOrigin: string;
  /** Registrable domains the handoff page may load from: the target's, plus identity providers. */
  allowedSites: readonly string[];
  /** Exact private-network origins within those sites that may be reached (see the egress guard). */
  trustedOrigins?: readonly string[];
  viewport?: { width: number; height: number };
  onBlocked?: (blocked: BlockedRequest) => void;
  /**
   * The handoff page kept leaving for a refused address each time it was brought back, and is no
   * longer (`origin`: where it went, or the scheme of a forbidden document). A popup that does so is closed instead.
   */
  onPageKeptLeaving?: (origin: string) => void;
  resolve?: Resolver;
}

export interface HandoffBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes the context and its egress proxy. */
  close: () => Promise<void>;
  /** The person's input is being applied to `page`: a refusal it leads to is theirs, not the page leaving (see navigation-keeper.ts). */
  personActed: (page: Page) => void;
}

/** Trusted private origins bypass the filtering proxy, so each must be a bare origin of an allowed site. */
function checkTrustedOrigins(options: HandoffBrowserOptions): string[] {
  return (options.trustedOrigins ?? []).map((raw) => {
    const url = new URL(raw);
    if (url.origin !== raw || !["http:", "https:"].includes(url.protocol)) throw new TypeError(`trusted origin ${raw} is not a bare http(s) origin`);
    if (!options.allowedSites.includes(siteOf(url.hostname))) throw new TypeError(`trusted origin ${raw} is outside the handoff's sites`);
    return url.origin;
  });
}

export async function openHandoffBrowser(options: HandoffBrowserOptions): Promise<HandoffBrowser> {
  const trustedOrigins = checkTrustedOrigins(options);
  const version = options.browser.version().split(".")[0] ?? "120";
  const check = createEgressGuard({ targetOrigin: options.targetOrigin, allowedSites: options.allowedSites, trustedOrigins, resolve: options.resolve });
  // What reaches the proxy and is refused there was never seen by route(): a redirect hop (reported
  // again, as the page's navigation, by the navigation keeper) or the browser's own traffic.
  const proxy = await startEgressProxy(
    (url) => check(url, false),
    (verdict, url) => options.onBlocked?.({ verdict, isNavigation: false, source: "browser", url }),
  );
  const hostPort = (origin: string) => {
    const u = new URL(origin);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  };
  const direct = [options.targetOrigin, ...trustedOrigins].map(hostPort);
  const context = await options.browser.newContext({
    // Everything but the allowlisted origin (and trusted private origins) goes through the filtering
    // proxy — loopback included (`<-loopback>` drops Chromium's implicit bypass). Those go direct so
    // that they resolve the way the agent's browser is configured to (e.g. --host-resolver-rules).
    proxy: { server: proxy.server, bypass: [...direct, "<-loopback>"].join(", ") },
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
  // WebRTC, WebTransport and service workers bypass routing and the proxy: gone from every document
  // and worker (see page-lockdown.ts).
  await context.addInitScript({ content: pageScript(pageLockdown, null) });
  // A blinking caret is a frame twice a second to a phone where nobody acts (see steady-caret.ts).
  await context.addInitScript({ content: pageScript(steadyCaret, null) });
  const keeper = keepPagesOnRefusal(context, async (url) => !(await check(url, true)).ok, {
    onRefusedHop: (url, page) =>
      void check(url, true).then((verdict) => !verdict.ok && options.onBlocked?.({ verdict, isNavigation: true, source: "page", url, page })),
    onForbiddenDocument: (page, scheme) =>
      options.onBlocked?.({ verdict: { ok: false, reason: "scheme", origin: scheme }, isNavigation: true, source: "page", url: scheme, page }),
    onGaveUp: (p, url) => (p === page ? options.onPageKeptLeaving?.(originOf(url)) : void p.close().catch(() => undefined)),
  });
  await context.route("**/*", async (route: Route) => {
    const request = route.request();
    const isNavigation = request.isNavigationRequest();
    const verdict = await check(request.url(), isNavigation);
    if (verdict.ok) return route.continue();
    options.onBlocked?.({ verdict, isNavigation: isNavigation && isTopLevel(request), source: "page", url: request.url() });
    // An aborted navigation commits Chromium's error page in place of the login form; "204 No
    // Content" commits nothing, and the page stays where it was.
    return isNavigation ? route.fulfill(keeper.refuse(request)) : route.abort("blockedbyclient");
  });
  // WebSockets are not seen by route(): check them at their own hook.
  await context.routeWebSocket(/.*/, async (ws) => {
    const verdict = await check(ws.url().replace(/^ws/, "http"), false);
    if (verdict.ok) return ws.connectToServer();
    options.onBlocked?.({ verdict, isNavigation: false, source: "page", url: ws.url() });
    await ws.close({ code: 1008, reason: "blocked by Baton" });
  });
  const page = await context.newPage();
  // No dialogs (they would block the page) and no downloads reach the disk.
  const guardPage = (p: Page) => {
    p.on("dialog", (dialog) => void dialog.dismiss().catch(() => undefined));
    p.on("download", (download) => void download.cancel().catch(() => undefined));
  };
  guardPage(page);
  context.on("page", guardPage);
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      await proxy.close();
    },
    personActed: (p) => keeper.personActed(p),
  };
}

/** Whether a navigation request is for a page's main frame (a popup's first one may have no frame yet: it is). */
function isTopLevel(request: Request): boolean {
  try {
    const frame = request.frame();
    return frame === frame.page().mainFrame();
  } catch {
    return true;
  }
}

/** An address's origin, or its scheme alone when it has none (`blob:`, `data:`): never its path or query. */
function originOf(url: string): string {
  try {
    const { origin, protocol } = new URL(url);
    return origin === "null" ? protocol : origin;
  } catch {
    return "";
  }
}

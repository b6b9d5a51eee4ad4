/**
 * The isolated browser context a handoff runs in: fresh and non-persistent, in the same browser
 * as the agent's page (so the browser's launch flags apply), emulating a phone, with no service
 * workers, downloads or permissions, dialogs dismissed, and requests confined to the target site
 * plus the sites the agent allowed.
 */
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { createEgressGuard, type EgressVerdict, type Resolver } from "./egress-guard";
import { startEgressProxy } from "./egress-proxy";
import { pageScript } from "./page-script";
import { siteOf } from "../lib/policy/target";

export interface HandoffBrowserOptions {
  browser: Browser;
  /** The origin the operator allowlisted for this handoff. */
  targetOrigin: string;
  /** Registrable domains the handoff page may load from: the target's, plus identity providers. */
  allowedSites: readonly string[];
  /** Exact private-network origins within those sites that may be reached (see the egress guard). */
  trustedOrigins?: readonly string[];
  viewport?: { width: number; height: number };
  onBlocked?: (verdict: Extract<EgressVerdict, { ok: false }>, isNavigation: boolean) => void;
  resolve?: Resolver;
}

export interface HandoffBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes the context and its egress proxy. */
  close(): Promise<void>;
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
  const proxy = await startEgressProxy((url) => check(url, false), (verdict) => options.onBlocked?.(verdict, false));
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
  // `serviceWorkers: "block"` alone did not stop a registration in a secure context (measured with
  // Chromium 156, and the worker's script fetch is not seen by route()): refuse it in every frame.
  await context.addInitScript({ content: pageScript(refuseServiceWorkers, null) });
  await context.route("**/*", async (route: Route) => {
    const request = route.request();
    const verdict = await check(request.url(), request.isNavigationRequest());
    if (verdict.ok) return route.continue();
    options.onBlocked?.(verdict, request.isNavigationRequest());
    return route.abort("blockedbyclient");
  });
  // WebSockets are not seen by route(): check them at their own hook.
  await context.routeWebSocket(/.*/, async (ws) => {
    const verdict = await check(ws.url().replace(/^ws/, "http"), false);
    if (verdict.ok) return ws.connectToServer();
    options.onBlocked?.(verdict, false);
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
  };
}

/** Runs in every frame of a handoff page: service-worker registration always fails. */
function refuseServiceWorkers(): void {
  if (typeof ServiceWorkerContainer === "undefined") return;
  const refuse = () => Promise.reject(new DOMException("Service workers are disabled here", "SecurityError"));
  Object.defineProperty(ServiceWorkerContainer.prototype, "register", { value: refuse, configurable: false, writable: false });
}

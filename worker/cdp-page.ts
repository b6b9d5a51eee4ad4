/**
 * Reaching a browser the agent already runs, in any language, through its DevTools endpoint
 * (`--remote-debugging-port`, Playwright's `--cdp-endpoint`, browser-use's `cdp_url`), and picking
 * the page that hit the login wall. The handoff's isolated context is then opened in *that* browser,
 * so cookies move inside it and never cross the network.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { BatonError } from "./errors";

/** Connects over CDP (`http://127.0.0.1:9222` or a `ws://…/devtools/browser/…` URL). */
export async function connectOverCdp(endpoint: string): Promise<Browser> {
  if (!/^(https?|wss?):\/\//.test(endpoint)) throw new BatonError("INVALID_OPTIONS", "the CDP endpoint must be an http(s):// or ws(s):// URL");
  try {
    return await chromium.connectOverCDP(endpoint, { timeout: 15_000 });
  } catch (error) {
    // Playwright's message names the endpoint and the cause; its call log adds nothing here.
    const first = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new BatonError("CDP_UNREACHABLE", `could not connect to the browser over CDP: ${first}`);
  }
}

/**
 * Pages of contexts that another client created (Playwright's `browser.new_context()` in the agent's
 * own program) are visible over a fresh CDP connection, but Playwright files them under the default
 * context, so cookies "added to their context" would land in the default one instead (measured with
 * Playwright 1.65). They are refused rather than signed in wrongly.
 */
async function foreignPages(browser: Browser, pages: Page[]): Promise<Set<Page>> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { browserContextIds } = await session.send("Target.getBrowserContexts");
    const foreign = new Set<Page>();
    for (const page of pages) {
      const pageSession = await page.context().newCDPSession(page);
      const { targetInfo } = await pageSession.send("Target.getTargetInfo");
      await pageSession.detach();
      if (targetInfo.browserContextId && browserContextIds.includes(targetInfo.browserContextId)) foreign.add(page);
    }
    return foreign;
  } finally {
    await session.detach();
  }
}

const FOREIGN_HINT =
  "it lives in a browser context another client created, which a CDP connection cannot sign in: use the browser's default context " +
  "(a persistent context, e.g. Playwright's launch_persistent_context, or a Chromium started with --remote-debugging-port)";

/**
 * The page whose URL matches `pattern`; without one, the only page, or else the most recently opened,
 * of the browser's default context (see foreignPages).
 */
export async function pickPage(browser: Browser, pattern?: RegExp): Promise<Page> {
  const pages = browser.contexts().flatMap((context) => context.pages());
  const foreign = await foreignPages(browser, pages);
  const candidates = pattern ? pages.filter((page) => pattern.test(page.url())) : pages;
  const page = candidates.filter((p) => !foreign.has(p)).at(-1);
  if (page) return page;
  if (candidates.length > 0) throw new BatonError("FOREIGN_CONTEXT", `the page cannot be handed off: ${FOREIGN_HINT}`);
  if (pattern) throw new BatonError("NO_PAGE", `no page's URL matches ${pattern} (open pages: ${pages.length})`);
  throw new BatonError("NO_PAGE", "the browser has no open page to hand off");
}

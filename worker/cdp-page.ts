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
 * The page whose URL matches `pattern`; without one, the only page, or else the most recently opened.
 * Pages of every context the connection sees count, newest last.
 */
export function pickPage(browser: Browser, pattern?: RegExp): Page {
  const pages = browser.contexts().flatMap((context) => context.pages());
  if (pattern) {
    const matching = pages.filter((page) => pattern.test(page.url()));
    const page = matching.at(-1);
    if (!page) throw new BatonError("NO_PAGE", `no page's URL matches ${pattern} (open pages: ${pages.length})`);
    return page;
  }
  const page = pages.at(-1);
  if (!page) throw new BatonError("NO_PAGE", "the browser has no open page to hand off");
  return page;
}

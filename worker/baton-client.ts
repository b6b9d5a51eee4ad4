/**
 * The agent's entry point:
 *
 * ```ts
 * const baton = new BatonClient({ serverUrl, apiKey });
 * const result = await baton.handoff(page, { reason: "Download your March statements", onLink });
 * ```
 */
import type { Page } from "playwright-core";
import { ApiClient } from "./api-client";
import { connectOverCdp, pickPage } from "./cdp-page";
import { BatonError } from "./errors";
import { checkHandoffOptions } from "./handoff-options";
import { HandoffSession } from "./handoff-session";
import type { BatonClientOptions, CdpHandoffOptions, HandoffOptions, HandoffResult } from "./types";

export class BatonClient {
  private readonly api: ApiClient;

  constructor(private readonly options: BatonClientOptions) {
    if (!/^https?:\/\//.test(options.serverUrl)) throw new TypeError("serverUrl must be an http(s) URL");
    if (!options.apiKey.startsWith("bat_")) throw new TypeError("apiKey must be a Baton agent key (bat_…)");
    this.api = new ApiClient(options.serverUrl, options.apiKey);
  }

  /**
   * Hands the login wall in front of `page` to the user and waits until they have signed in on
   * their phone. Resolves once `page.context()` holds the target site's session; rejects with
   * `HandoffDenied`, `HandoffExpired`, `HandoffCancelled`, `HandoffFailed` or `BatonApiError`,
   * and at once, before anything is created, with `BatonError` `INVALID_OPTIONS` (e.g. no `onLink`)
   * or `UNSUPPORTED_BROWSER` (a Firefox or WebKit page: the live view is Chromium's screencast).
   * It waits at most the link's lifetime plus the server's session cap (10 + 15 minutes by default).
   */
  async handoff(page: Page, options: HandoffOptions): Promise<HandoffResult> {
    checkHandoffOptions(options);
    const browserName = (options.browser ?? page.context().browser())?.browserType().name();
    if (browserName && browserName !== "chromium") {
      throw new BatonError("UNSUPPORTED_BROWSER", `handoff() needs a Chromium page (this one is ${browserName}): the live view is Chromium's CDP screencast`);
    }
    return new HandoffSession(this.api, this.options, page, options).run();
  }

  /**
   * The same handoff for a browser this process does not drive: connects to it over CDP, picks the
   * page (`options.page` matches its URL; else the only or most recent page), runs `handoff()` with
   * the isolated context in that browser, and disconnects. The agent's context keeps the session;
   * `release()` is not available afterwards (the connection is gone): clear `result.cookies` there.
   */
  async handoffOverCdp(endpoint: string, options: CdpHandoffOptions): Promise<HandoffResult> {
    checkHandoffOptions(options);
    const browser = await connectOverCdp(endpoint);
    try {
      const { page: pattern, ...rest } = options;
      const result = await this.handoff(await pickPage(browser, pattern), { ...rest, browser });
      const release = () =>
        Promise.reject(
          new BatonError(
            "RELEASE_UNAVAILABLE",
            "release() needs the CDP connection, which handoffOverCdp() closed: clear the handed-over cookies in the agent's browser",
          ),
        );
      return { ...result, release };
    } finally {
      // Over CDP, close() disconnects: the agent's browser, its pages and their cookies stay.
      await browser.close();
    }
  }
}

/**
 * The agent's entry point:
 *
 * ```ts
 * const baton = new BatonClient({ serverUrl, apiKey });
 * const result = await baton.handoff(page, { reason: "Download your March statements", onLink });
 * ```
 */
import type { Page } from "playwright";
import { ApiClient } from "./api-client";
import { HandoffSession } from "./handoff-session";
import type { BatonClientOptions, HandoffOptions, HandoffResult } from "./types";

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
   * `HandoffDenied`, `HandoffExpired`, `HandoffCancelled`, `HandoffFailed` or `BatonApiError`.
   */
  handoff(page: Page, options: HandoffOptions): Promise<HandoffResult> {
    return new HandoffSession(this.api, this.options, page, options).run();
  }
}

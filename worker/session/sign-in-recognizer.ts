/**
 * Recognises the sign-in on the handoff page: reads the baseline once the login page has loaded
 * (and again on each plain GET of it: a login page often sets fresh cookies each time it loads — a
 * CSRF token — and those are not a sign-in; a POST answered on the same URL, a sign-in that renders
 * in place, does not reset it), says when the page has left the login page, applies the agent's rule
 * or the heuristic, and decides what the sign-in created (hand-over.ts).
 *
 * No decision is taken while the main frame navigates: from its request until its document has
 * loaded (or the navigation failed, or was answered with no document), the cookie jar already holds
 * what the new page's response set, and the baseline does not yet. A login page loading again, its
 * fresh CSRF cookie stored and its document not yet parsed, looked like a sign-in.
 */
import type { BrowserContext, Page, Request } from "playwright-core";
import { type Baseline, decideHandOver, type HandOver, type HandOverScope, refreshBaseline, takeBaseline } from "../hand-over";
import { isMainFrameNavigation } from "../navigation-keeper";
import { hasLeftLogin, isOnSitePage, isSignedIn, type SuccessRule } from "../success-detector";
import { systemTimers, type Timers, withDeadline } from "./timers";

/** How long a decision waits for a navigation under way; one whose document never loads is decided on as it stands. */
export const NAVIGATION_SETTLE_MS = 3_000;

export interface SignInScope {
  /** Sites the page may be on when signed in (the target's and those handed over with it, plus IdPs mid-flow). */
  visit: readonly string[];
  handOver: HandOverScope;
}

export class SignInRecognizer {
  private baseline: Baseline | null = null;
  /** A baseline being read again; a decision waits for it. */
  private rereading: Promise<void> = Promise.resolve();
  private hasLeft = false;
  /** The main frame's navigation under way, if any: its latest request, and what settles when it ends. */
  private navigation: { request: Request; settled: Promise<void>; settle: () => void } | null = null;
  /** Main-frame navigation requests seen: a decision that saw one begin meanwhile is taken again. */
  private navigations = 0;

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly loginUrl: string,
    private readonly scope: SignInScope,
    private readonly rule: SuccessRule | undefined,
    private readonly timers: Timers = systemTimers,
  ) {}

  /** Call once the login page has loaded. */
  async start(isOver: () => boolean): Promise<void> {
    const { page } = this;
    this.baseline = await takeBaseline(this.context, page, this.scope.handOver);
    const loginHref = new URL(this.loginUrl).href;
    let lastMethod = "GET";
    page.on("request", (request) => {
      if (!isMainFrameNavigation(page, request)) return;
      lastMethod = request.method();
      this.navigationBegan(request);
    });
    // A navigation answered with no document (204, Baton's own refusals) ends as a failed request too
    // (ERR_ABORTED, measured); a redirect's next hop comes as a request of its own.
    page.on("requestfailed", (request) => this.navigationEnded(request));
    page.on("close", () => this.navigationEnded());
    page.on("domcontentloaded", () => {
      // The re-read is under way before the navigation counts as over: a decision waiting on one waits on the other.
      if (lastMethod === "GET" && page.url() === loginHref && !isOver()) {
        this.rereading = takeBaseline(this.context, page, this.scope.handOver).then(
          (baseline) => void (this.baseline = this.baseline ? refreshBaseline(this.baseline, baseline) : baseline),
          // The page went on (or closed) while being read: the previous baseline stands.
          () => undefined,
        );
      }
      this.navigationEnded();
    });
  }

  private navigationBegan(request: Request): void {
    this.navigations += 1;
    if (this.navigation) {
      this.navigation.request = request;
      return;
    }
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.navigation = { request, settled, settle };
  }

  /** The navigation is over (for `request`'s end, only if it is still the navigation's latest request). */
  private navigationEnded(request?: Request): void {
    const navigation = this.navigation;
    if (!navigation || (request && navigation.request !== request)) return;
    this.navigation = null;
    navigation.settle();
  }

  /** Waits while the main frame navigates, until `until` at the latest (one navigation may follow another). */
  private async settled(until: number): Promise<void> {
    for (let left = until - this.timers.now(); this.navigation && left > 0; left = until - this.timers.now()) {
      await withDeadline(this.navigation.settled, left, this.timers);
    }
  }

  /** The new answer to "has the page left the login page?", or null when it has not changed. */
  async progress(): Promise<boolean | null> {
    const left = isOnSitePage(this.page, this.scope.visit) && (await hasLeftLogin(this.page, this.loginUrl).catch(() => false));
    if (left === this.hasLeft) return null;
    this.hasLeft = left;
    return left;
  }

  /** The agent's rule, else the heuristic, on a page of the sites. */
  looksSignedIn(): Promise<boolean> {
    return isSignedIn(this.page, this.context, this.rule, this.loginUrl, this.scope.visit).catch(() => false);
  }

  /** What the sign-in created so far; nothing until the baseline exists or off the sites' pages. */
  async created(): Promise<HandOver> {
    const until = this.timers.now() + NAVIGATION_SETTLE_MS;
    for (;;) {
      await this.settled(until);
      const seen = this.navigations;
      await this.rereading;
      if (!this.baseline || !isOnSitePage(this.page, this.scope.visit)) return { kind: "nothing" };
      const decision = await decideHandOver(this.context, this.page, this.baseline, this.scope.handOver);
      // A navigation that began while the jar was read may have put its cookies in it: decide again once it is over.
      if ((seen === this.navigations && !this.navigation) || this.timers.now() >= until) return decision;
    }
  }
}

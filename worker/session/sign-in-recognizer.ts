/**
 * Recognises the sign-in on the handoff page: reads the baseline once the login page has loaded
 * (and again on each plain GET of it: a login page often sets fresh cookies each time it loads — a
 * CSRF token — and those are not a sign-in; a POST answered on the same URL, a sign-in that renders
 * in place, does not reset it), says when the page has left the login page, applies the agent's rule
 * or the heuristic, and decides what the sign-in created (hand-over.ts).
 */
import type { BrowserContext, Page, Request } from "playwright-core";
import { type Baseline, decideHandOver, type HandOver, type HandOverScope, refreshBaseline, takeBaseline } from "../hand-over";
import { hasLeftLogin, isOnSitePage, isSignedIn, type SuccessRule } from "../success-detector";

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

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly loginUrl: string,
    private readonly scope: SignInScope,
    private readonly rule: SuccessRule | undefined,
  ) {}

  /** Call once the login page has loaded. */
  async start(isOver: () => boolean): Promise<void> {
    const { page } = this;
    this.baseline = await takeBaseline(this.context, page, this.scope.handOver);
    const loginHref = new URL(this.loginUrl).href;
    let lastMethod = "GET";
    page.on("request", (request) => {
      if (request.isNavigationRequest() && isMainFrameRequest(page, request)) lastMethod = request.method();
    });
    page.on("domcontentloaded", () => {
      if (lastMethod !== "GET" || page.url() !== loginHref || isOver()) return;
      this.rereading = takeBaseline(this.context, page, this.scope.handOver).then(
        (baseline) => void (this.baseline = this.baseline ? refreshBaseline(this.baseline, baseline) : baseline),
        // The page went on (or closed) while being read: the previous baseline stands.
        () => undefined,
      );
    });
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
    await this.rereading;
    if (!this.baseline || !isOnSitePage(this.page, this.scope.visit)) return { kind: "nothing" };
    return decideHandOver(this.context, this.page, this.baseline, this.scope.handOver);
  }
}

/** Whether a request belongs to the page's main frame (a popup's first request may have no frame yet). */
function isMainFrameRequest(page: Page, request: Request): boolean {
  try {
    return request.frame() === page.mainFrame();
  } catch {
    return false;
  }
}

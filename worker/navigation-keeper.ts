/**
 * Keeps the person's page when Baton refuses a navigation. Measured with Chromium 156, for each way
 * a page can be sent elsewhere:
 *
 * | entry point                          | aborted request (`blockedbyclient`) | answered `204 No Content` |
 * |--------------------------------------|-------------------------------------|---------------------------|
 * | script (`location.href = …`)         | error page replaces the login page  | page stays, form intact   |
 * | link tap, form POST, meta refresh    | error page                          | page stays                |
 * | `window.open`                        | popup shows an error page           | popup stays blank         |
 * | redirect hop to plain http           | the proxy's refusal page            | page stays (proxy 204)    |
 * | redirect hop to https (CONNECT)      | error page                          | not possible: CONNECT     |
 *
 * Route handlers never see redirect hops, and a refused CONNECT always commits an error page; for
 * that last row the page is taken back one step in its history: Chromium loads it again and fills
 * its form back from the state the history entry kept, typed text included (Playwright starts
 * Chromium without its back/forward cache: `BackForwardCacheDisabledByCommandLine`, Chromium 156).
 * The text is back once the form has been parsed, not at the commit. Top-level `blob:` and `data:`
 * documents (which no route sees either) are taken back the same way. A navigation by
 * `location.replace` took the page's own entry with it: one step back is then the entry before
 * (about:blank, or nothing), so the page is loaded again at the last address it had, typed text lost.
 *
 * A page that leaves again each time it is back (its script, or its server, sends it to a refused
 * site on every load) is given up on after a few tries: it is not loaded again, a forbidden
 * document on it is replaced by a blank page, and the caller is told, once per page. A refusal the
 * person started is not the page leaving and has a limit of its own, higher and over a longer time:
 * a person who taps a refused link again and again is brought back each time, and a page that
 * leaves at every touch of theirs still ends. The person started it when their input reached the
 * page after it was back (`personActed`; input while it is away or being restored does not count).
 * Chromium's own `hasUserGesture` cannot tell: a tap's activation lasts 5 s, so a page that leaves
 * on load within them has one, and so does a navigation from a touch start (measured, Chromium 156).
 * A refused `blob:` document is always the page's.
 */
import type { BrowserContext, Frame, Page, Request } from "playwright-core";

/** The URL a refused navigation wanted, for the caller to judge locally (only its origin is ever reported). */
export type KeeperCheck = (url: string) => Promise<boolean>;

const ERROR_PAGE = "chrome-error://chromewebdata/";
/** Restores the page itself caused in RESTORE_WINDOW_MS before it is given up on. */
const MAX_RESTORES = 3;
const RESTORE_WINDOW_MS = 10_000;
/** And restores from refusals the person started, in PERSON_RESTORE_WINDOW_MS. */
const MAX_PERSON_RESTORES = 8;
const PERSON_RESTORE_WINDOW_MS = 30_000;
/** Set by the egress proxy on the 204 it answers a refused plain-http request with. */
export const REFUSED_HEADER = "x-baton-refused";
const isForbiddenDocument = (url: string) => url.startsWith("blob:") || url.startsWith("data:") || url.startsWith("javascript:");

export interface NavigationKeeper {
  /** A route handler refused `request`, a navigation: answer so that nothing commits. */
  refuse(request: Request): { status: number };
  /** The person's input is being applied to `page` (a tap, a key, text). */
  personActed(page: Page): void;
}

/**
 * @param isRefused whether Baton refuses this URL (the egress guard's verdict, cached per host).
 * @param onRefusedHop a navigation Baton's proxy refused (the route handler never saw it).
 * @param onForbiddenDocument a page committed a `blob:`/`data:` document at the top level (`scheme`: which, with its colon).
 * @param onGaveUp `page` kept leaving for `url` (the last refused address, or `blob:`) and is no longer restored.
 */
export function keepPagesOnRefusal(
  context: BrowserContext,
  isRefused: KeeperCheck,
  handlers: { onRefusedHop(url: string, page: Page): void; onForbiddenDocument(page: Page, scheme: string): void; onGaveUp(page: Page, url: string): void },
): NavigationKeeper {
  const pendingRestore = new WeakSet<Page>();
  /** Where each page last tried to go and was refused. */
  const lastRefused = new WeakMap<Page, string>();
  const givenUp = new WeakSet<Page>();

  /** When each page was brought back from leaving by itself, and from refusals the person started. */
  const restores = new WeakMap<Page, number[]>();
  const personRestores = new WeakMap<Page, number[]>();
  /** Whether the refusal a page is to be restored from came after the person's input reached it. */
  const refusedByPerson = new WeakMap<Page, boolean>();
  /** Pages the person's input reached since they were last brought back. */
  const actedSinceBack = new WeakSet<Page>();
  /** The last web page each page showed: where a refused navigation takes it back to. */
  const lastGood = new WeakMap<Page, string>();
  /**
   * Pages being restored, one restore at a time: two steps back at once abort each other. A refusal
   * heard meanwhile is taken up once the restore is over, if the page is not back by then.
   */
  const restoring = new WeakSet<Page>();
  const heardMeanwhile = new WeakSet<Page>();
  const restore = async (page: Page): Promise<void> => {
    pendingRestore.delete(page);
    if (restoring.has(page)) return void heardMeanwhile.add(page);
    restoring.add(page);
    try {
      await restoreOnce(page);
    } finally {
      restoring.delete(page);
      // Taken up even when this restore failed (a step back cut short by the very navigation heard).
      if (heardMeanwhile.delete(page) && isAway(page)) void restore(page).catch(ignoreClosed);
    }
  };
  const restoreOnce = async (page: Page) => {
    // A page that sends itself to a refused site every time it loads would loop: a few tries, then
    // it stays where it is (Chromium's error page), or blank: a forbidden document is never left on view.
    const byPerson = refusedByPerson.get(page) ?? false;
    refusedByPerson.delete(page);
    actedSinceBack.delete(page);
    const now = Date.now();
    const recent = (restores.get(page) ?? []).filter((at) => now - at < RESTORE_WINDOW_MS);
    const recentByPerson = (personRestores.get(page) ?? []).filter((at) => now - at < PERSON_RESTORE_WINDOW_MS);
    if (byPerson ? recentByPerson.length >= MAX_PERSON_RESTORES : recent.length >= MAX_RESTORES) {
      // Blank first (the handoff ends once told, its pages with it); told even if that failed.
      if (isForbiddenDocument(page.url())) await page.goto("about:blank").catch(() => undefined);
      if (givenUp.has(page)) return;
      givenUp.add(page);
      return handlers.onGaveUp(page, lastRefused.get(page) ?? "");
    }
    if (byPerson) personRestores.set(page, [...recentByPerson, now]);
    else restores.set(page, [...recent, now]);
    // A popup whose first page was refused has nothing to go back to: it goes (the phone returns to its opener).
    if ((await page.opener()) && (await historyLength(page)) <= 1) return page.close();
    const back = lastGood.get(page);
    // Unreadable just after the error page commits: read again once it has loaded.
    const first = await previousEntry(page);
    const previous = first !== undefined ? first : await page.waitForLoadState("load", { timeout: 5_000 }).then(() => previousEntry(page));
    // Unknown still, or not the page's (location.replace took its own entry): it is loaded again.
    // Stepping back blind could show an older refused document.
    if (back !== undefined && previous !== back) return void (await page.goto(back, { waitUntil: "commit", timeout: 10_000 }));
    await page.goBack({ waitUntil: "commit", timeout: 10_000 });
  };

  const watch = (page: Page) => {
    page.on("requestfailed", (request) => {
      // An aborted navigation was not refused here: another navigation, or a step back under way,
      // cut it short (a refused tunnel fails as ERR_TUNNEL_CONNECTION_FAILED, and a route's refusal is
      // answered 204, which ends as ERR_ABORTED with the page left as it was, and is reported there).
      if (!isMainFrameNavigation(page, request) || request.failure()?.errorText === "net::ERR_ABORTED") return;
      // Read at the refusal: a restore under way for an earlier one clears it.
      const byPerson = actedSinceBack.has(page);
      void isRefused(request.url()).then((refused) => {
        if (!refused) return;
        lastRefused.set(page, request.url());
        refusedByPerson.set(page, byPerson);
        handlers.onRefusedHop(request.url(), page);
        if (page.url() === ERROR_PAGE) return restore(page).catch(ignoreClosed);
        pendingRestore.add(page);
      });
    });
    // The proxy answers a refused plain-http hop with a marked 204: the page stayed, the person is told.
    page.on("response", (response) => {
      if (response.status() === 204 && response.headers()[REFUSED_HEADER] && isMainFrameNavigation(page, response.request()))
        handlers.onRefusedHop(response.url(), page);
    });
    page.on("framenavigated", (frame: Frame) => {
      if (frame !== page.mainFrame()) return;
      const url = frame.url();
      if (url === ERROR_PAGE && pendingRestore.has(page)) return void restore(page).catch(ignoreClosed);
      if (isForbiddenDocument(url)) {
        // Always counted as the page's: a document made in the page, which no tap needs to open.
        const scheme = `${url.slice(0, url.indexOf(":"))}:`;
        lastRefused.set(page, scheme);
        refusedByPerson.delete(page);
        handlers.onForbiddenDocument(page, scheme);
        return void restore(page).catch(ignoreClosed);
      }
      if (/^https?:/.test(url)) lastGood.set(page, url);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);

  return {
    refuse(request) {
      const page = pageOf(request);
      // A popup opened straight onto a refused site stays blank: close it rather than show the phone nothing.
      void page
        ?.opener()
        .then((opener) => (opener && page.url() === "about:blank" ? page.close() : undefined))
        .catch(ignoreClosed);
      return { status: 204 };
    },
    personActed: (page) => {
      if (!restoring.has(page) && !isAway(page)) actedSinceBack.add(page);
    },
  };
}

/** Whether `page` shows what a restore takes back: Chromium's error page, or a forbidden document. */
function isAway(page: Page): boolean {
  return page.url() === ERROR_PAGE || isForbiddenDocument(page.url());
}

function pageOf(request: Request): Page | null {
  try {
    return request.frame().page();
  } catch {
    // A popup's first navigation can come before its frame exists: it stays blank and is closed below.
    return null;
  }
}

/** Whether `request` navigates `page`'s main frame (requests of service workers, and a popup's first one, may have no frame: no). */
export function isMainFrameNavigation(page: Page, request: Request): boolean {
  if (!request.isNavigationRequest()) return false;
  try {
    return request.frame() === page.mainFrame();
  } catch {
    return false;
  }
}

/**
 * The URL of the history entry one step back, null when there is none, or undefined when it cannot
 * be read: just after a refused navigation commits Chromium's error page (in a process of its own),
 * DevTools can answer "Not attached to an active page" (measured: in six of ten runs of three refused taps).
 */
async function previousEntry(page: Page): Promise<string | null | undefined> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { currentIndex, entries } = await cdp.send("Page.getNavigationHistory");
    return entries[currentIndex - 1]?.url ?? null;
  } catch {
    return undefined;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function historyLength(page: Page): Promise<number> {
  return page.evaluate(() => history.length).catch(() => 1);
}

/** The page or its context closed while it was being restored: nothing is left to keep. */
function ignoreClosed(): void {}

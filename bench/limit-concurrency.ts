/**
 * Chromium alone at the concurrency levels' load: the same number of pages in the agent's browser,
 * each typing at the same pace as the handoffs do (8 keys/s), with no Baton at all — no relay, no
 * sealing, no phone, no handoff context. One page is timed as the limit is timed (its own
 * screencast read in this process, started as the worker starts it, each frame decoded and the
 * field compared); the others' screencasts are acknowledged at once and not decoded. Then the same
 * pages again with no screencast at all: what Chromium needs only to take the keys and paint them.
 * What this shows is how much of the concurrency levels' latency is the browser's, before any frame
 * goes anywhere.
 *
 * The load: each page gets its keys one at a time, the next once the last is in (at most 8 a
 * second), as a handoff's worker applies its phone's keys one after another; once the browser
 * cannot keep up, both are what it takes in. The pages get the handoff context's steady caret, so
 * a blinking caret adds no frames here that a handoff would not have. Keys, cores and the CPU per
 * key are counted over the same window: the timed page's typing.
 */
import type { Browser, BrowserContext, CDPSession, Page } from "playwright";
import { pageScript } from "../worker/page-script";
import { steadyCaret } from "../worker/steady-caret";
import { LAYOUT } from "./bench-site";
import { DecodedScreencast, startWorkerScreencast } from "./limit";
import { anyFramePhase } from "./phone-probe";
import { summarize, type Summary, treeCpuMeter } from "./stats";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const PACE_MS = 125;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LimitLevel {
  pages: number;
  /** Every page with its screencast: the timed page's key → decoded frame that shows it. */
  withFrames: ChromiumLoad & { keystroke: Summary };
  /** No screencast anywhere: the timed page's `keyboard.type` round trip (the key taken, not seen). */
  withoutFrames: ChromiumLoad & { dispatch: Summary };
}

interface ChromiumLoad {
  /** Keys the background pages got in per second, against the pace asked of them. */
  keysPerSecond: number;
  keysAskedPerSecond: number;
  /** The agent browser's cores meanwhile. */
  agentCores: number;
  /** Its CPU time per key taken in, the timed page's included (ms). */
  cpuPerKeyMs: number;
}

interface PlainPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
}

async function openPlain(browser: Browser, siteUrl: string, size: { width: number; height: number }, isTimed = false): Promise<PlainPage> {
  const context = await browser.newContext({ viewport: size, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await context.addInitScript({ content: pageScript(steadyCaret, null) });
  const page = await context.newPage();
  await page.goto(siteUrl);
  await page.focus("#f");
  const cdp = await context.newCDPSession(page);
  // Acked at once and dropped: a background page's frames cost Chromium what a handoff's cost it
  // (the timed page's are acked and decoded by DecodedScreencast).
  if (!isTimed) cdp.on("Page.screencastFrame", (event) => void cdp.send("Page.screencastFrameAck", { sessionId: event.sessionId }).catch(() => undefined));
  return { context, page, cdp };
}

/** Each page types a letter every PACE_MS, or as soon as the last is in, until `stop`; `typed` counts the keys taken in. */
async function typeAlong(pages: Page[], stop: AbortSignal, typed: { keys: number }): Promise<void> {
  await Promise.all(
    pages.map(async (page, index) => {
      await sleep((index * PACE_MS) / Math.max(1, pages.length));
      for (let i = 0; !stop.aborted; i++) {
        const started = performance.now();
        await page.keyboard.type(LETTERS[i % 26]);
        typed.keys += 1;
        const rest = PACE_MS - (performance.now() - started);
        if (rest > 0 && !stop.aborted) await sleep(rest);
      }
    }),
  );
}

/** Runs `measure` (the timed page's keys; it returns their samples and how many it typed) while the background pages type. */
async function underLoad(
  deps: { agentPid: number },
  background: Page[],
  measure: () => Promise<{ summary: Summary; typed: number }>,
): Promise<{ value: Summary } & ChromiumLoad> {
  const stop = new AbortController();
  const typed = { keys: 0 };
  const typing = typeAlong(background, stop.signal, typed);
  // The background pages first reach their pace; then one window for every count.
  await sleep(PACE_MS * 2);
  const cpu = treeCpuMeter(deps.agentPid);
  const keysBefore = typed.keys;
  const startedAt = performance.now();
  const { summary, typed: timedKeys } = await measure();
  const elapsed = performance.now() - startedAt;
  const usedMs = cpu();
  const backgroundKeys = typed.keys - keysBefore;
  stop.abort();
  await typing;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    value: summary,
    keysPerSecond: round1((backgroundKeys * 1000) / elapsed),
    keysAskedPerSecond: round1((background.length * 1000) / PACE_MS),
    agentCores: Math.round((usedMs / elapsed) * 100) / 100,
    cpuPerKeyMs: round1(usedMs / Math.max(1, backgroundKeys + timedKeys)),
  };
}

export async function limitConcurrency(
  deps: { agentBrowser: Browser; agentPid: number; siteUrl: string; size: { width: number; height: number }; log(line: string): void },
  levels: number[],
  keys: number,
): Promise<LimitLevel[]> {
  const pages: PlainPage[] = [];
  const out: LimitLevel[] = [];
  try {
    const timed = await openPlain(deps.agentBrowser, deps.siteUrl, deps.size, true);
    pages.push(timed);
    const decoded = new DecodedScreencast(timed.cdp, deps.size);
    for (const level of levels) {
      try {
        while (pages.length < level) pages.push(await openPlain(deps.agentBrowser, deps.siteUrl, deps.size));
      } catch (error) {
        deps.log(`  could not open ${level} pages (${error instanceof Error ? error.message : String(error)}); stopping at ${pages.length}`);
        break;
      }
      const background = pages.slice(1).map((p) => p.page);
      for (const p of pages) await startWorkerScreencast(p.cdp, deps.size);
      await sleep(1500);
      const framed = await underLoad(deps, background, async () => {
        const values: (number | null)[] = [];
        for (let i = 0; i < keys + 5; i++) {
          await anyFramePhase();
          const { changed } = await decoded.arm(LAYOUT.field);
          const t0 = performance.now();
          await timed.page.keyboard.type(LETTERS[i % 26]);
          const t1 = await changed;
          if (i >= 5) values.push(t1 === null ? null : t1 - t0);
          // After a timeout the key's frame may still come: let it, or it would count for the next key.
          await sleep(t1 === null ? 1000 : 20);
        }
        return { summary: summarize(values), typed: keys + 5 };
      });
      for (const p of pages) await p.cdp.send("Page.stopScreencast");
      await sleep(1500);
      const bare = await underLoad(deps, background, async () => {
        const values: number[] = [];
        for (let i = 0; i < keys + 5; i++) {
          await anyFramePhase();
          const t0 = performance.now();
          await timed.page.keyboard.type(LETTERS[i % 26]);
          if (i >= 5) values.push(performance.now() - t0);
          await sleep(20);
        }
        return { summary: summarize(values), typed: keys + 5 };
      });
      const { value: keystroke, ...framedLoad } = framed;
      const { value: dispatch, ...bareLoad } = bare;
      out.push({ pages: level, withFrames: { ...framedLoad, keystroke }, withoutFrames: { ...bareLoad, dispatch } });
      deps.log(
        `  ${level} pages: key → frame p50 ${keystroke.p50} ms, p95 ${keystroke.p95} ms, timeouts ${keystroke.timeouts}; ` +
          `keys in ${framedLoad.keysPerSecond}/s of ${framedLoad.keysAskedPerSecond}/s (${bareLoad.keysPerSecond}/s with no frames)`,
      );
    }
  } finally {
    for (const p of pages) await p.context.close().catch(() => undefined);
  }
  return out;
}

/**
 * Many handoffs typing at once, measured so that Baton's side is what is measured: one real phone
 * page (timed, as everywhere else), every other handoff driven by a light phone in Node (see
 * light-phone.ts), each typing at a brisk human pace. At each level: the timed phone's keystroke →
 * visible, memory per extra handoff in the agent's browser (PSS of its renderers, and of the whole
 * browser) and in the server (RSS, heap), and the server's event-loop delay while they typed.
 */
import type { Browser, Page } from "playwright";
import { BatonClient, type HandoffLink } from "../worker";
import { LAYOUT } from "./bench-site";
import { center, closeLiveSession, type BenchServer, type LiveSession } from "./harness";
import { LightPhone } from "./light-phone";
import { focusField } from "./phases";
import { measure } from "./phone-probe";
import { summarize, treePssKb, type Summary } from "./stats";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LevelResult {
  handoffs: number;
  keystroke: Summary;
  framesPerSecondPerLightPhone: number;
  agentRendererPssMb: number;
  agentBrowserPssMb: number;
  rendererPssPerExtraHandoffMb: number | null;
  browserPssPerExtraHandoffMb: number | null;
  server: { rssMb: number; heapUsedMb: number; rssPerExtraHandoffMb: number | null; eventLoopDelayMs: { p50: number; p99: number; max: number } };
}

interface LightHandoff {
  phone: LightPhone;
  agentPage: Page;
  abort: AbortController;
}

export interface ConcurrencyDeps {
  server: BenchServer;
  apiKey: string;
  siteUrl: string;
  agentBrowser: Browser;
  agentPid: number;
  /** Opens the timed handoff (a real phone page). */
  openTimed(): Promise<LiveSession>;
  log(line: string): void;
}

async function openLight(deps: ConcurrencyDeps): Promise<LightHandoff> {
  const agentPage = await (await deps.agentBrowser.newContext()).newPage();
  await agentPage.goto(deps.siteUrl);
  const abort = new AbortController();
  let deliver!: (link: HandoffLink) => void;
  const linked = new Promise<HandoffLink>((resolve) => (deliver = resolve));
  const result = new BatonClient({ serverUrl: deps.server.url, apiKey: deps.apiKey }).handoff(agentPage, {
    reason: "Benchmark",
    signal: abort.signal,
    onLink: (link) => deliver(link),
  });
  // Ends by abort at the close of the phase.
  result.catch(() => undefined);
  const link = await linked;
  const phone = new LightPhone(deps.server.url, link.url);
  await phone.start(link.handoffId);
  const field = center(LAYOUT.field);
  phone.tap(field.x, field.y);
  return { phone, agentPage, abort };
}

/** Light phones type one letter every `everyMs` until `stop` aborts. */
async function typeAlong(phones: LightPhone[], stop: AbortSignal, everyMs = 125): Promise<void> {
  for (let i = 0; !stop.aborted; i++) {
    for (const phone of phones) phone.send({ t: "text", text: LETTERS[i % 26] });
    await sleep(everyMs);
  }
}

export async function concurrency(deps: ConcurrencyDeps, levels: number[], keysPerLevel: number): Promise<LevelResult[]> {
  const timed = await deps.openTimed();
  await focusField(timed, LAYOUT.field);
  const lights: LightHandoff[] = [];
  const out: LevelResult[] = [];
  let prev: Previous | null = null;
  try {
    for (const level of levels) {
      try {
        while (lights.length + 1 < level) lights.push(await openLight(deps));
      } catch (error) {
        // Report the levels reached rather than lose the run: the machine ran out before this level.
        deps.log(`  could not open ${level} handoffs (${error instanceof Error ? error.message : String(error)}); stopping at ${lights.length + 1}`);
        break;
      }
      await sleep(1500);
      const row = await measureLevel(deps, timed, lights, level, keysPerLevel, prev);
      out.push(row);
      deps.log(
        `  ${level} handoffs: p50 ${row.keystroke.p50} ms, p95 ${row.keystroke.p95} ms, timeouts ${row.keystroke.timeouts}; ` +
          `renderers +${row.rendererPssPerExtraHandoffMb ?? "—"} MB each; server loop p99 ${row.server.eventLoopDelayMs.p99} ms`,
      );
      prev = { n: level, renderer: row.agentRendererPssMb, browser: row.agentBrowserPssMb, rss: row.server.rssMb };
    }
  } finally {
    for (const l of lights) {
      l.abort.abort();
      l.phone.close();
      // Closed already when its handoff ended: nothing left to close.
      await l.agentPage
        .context()
        .close()
        .catch(() => undefined);
    }
    await closeLiveSession(timed);
  }
  return out;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The level before, in MB, for the cost of each extra handoff. */
interface Previous {
  n: number;
  renderer: number;
  browser: number;
  rss: number;
}

/** Memory now, then the timed phone's keystrokes while every light phone types, and the server's figures meanwhile. */
async function measureLevel(
  deps: ConcurrencyDeps,
  timed: LiveSession,
  lights: LightHandoff[],
  level: number,
  keys: number,
  prev: Previous | null,
): Promise<LevelResult> {
  const renderer = treePssKb(deps.agentPid, "renderer") / 1024;
  const browser = treePssKb(deps.agentPid) / 1024;
  const stop = new AbortController();
  const typing = typeAlong(
    lights.map((l) => l.phone),
    stop.signal,
  );
  const framesBefore = lights.reduce((n, l) => n + l.phone.framesOpened, 0);
  const startedAt = performance.now();
  await deps.server.probe("window");
  const values: (number | null)[] = [];
  for (let i = 0; i < keys + 5; i++) {
    const v = await measure(timed.phone, LAYOUT.field, "key", () => timed.phone.keyboard.type(LETTERS[i % 26]));
    if (i >= 5) values.push(v);
  }
  const answer = await deps.server.probe("window");
  stop.abort();
  await typing;
  const seconds = (performance.now() - startedAt) / 1000;
  const frames = lights.reduce((n, l) => n + l.phone.framesOpened, 0) - framesBefore;
  const per = (now: number, before: number | undefined) => (prev && level > prev.n && before !== undefined ? round1((now - before) / (level - prev.n)) : null);
  return {
    handoffs: level,
    keystroke: summarize(values),
    framesPerSecondPerLightPhone: lights.length ? round1(frames / lights.length / seconds) : 0,
    agentRendererPssMb: round1(renderer),
    agentBrowserPssMb: round1(browser),
    rendererPssPerExtraHandoffMb: per(renderer, prev?.renderer),
    browserPssPerExtraHandoffMb: per(browser, prev?.browser),
    server: {
      rssMb: answer.memoryMb.rss,
      heapUsedMb: answer.memoryMb.heapUsed,
      rssPerExtraHandoffMb: per(answer.memoryMb.rss, prev?.rss),
      eventLoopDelayMs: answer.eventLoopDelayMs,
    },
  };
}

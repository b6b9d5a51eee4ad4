/**
 * Many handoffs typing at once, measured so that Baton's side is what is measured: one real phone
 * page (timed, as everywhere else), every other handoff driven by a light phone in Node (see
 * light-phone.ts), each typing at a brisk human pace. At each level: the timed phone's keystroke →
 * visible, memory per extra handoff in the agent's browser (PSS of its renderers, and of the whole
 * browser: the agents' own pages are opened first and measured apart, so the figure is the handoff's
 * own) and in the server (RSS, heap), and the server's event-loop delay while they typed.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Browser, Page } from "playwright";
import { BatonClient, type HandoffLink } from "../worker";
import { LAYOUT } from "./bench-site";
import { center, closeLiveSession, type BenchServer, type LiveSession } from "./harness";
import { LightPhone } from "./light-phone";
import { focusField } from "./phases";
import { measure } from "./phone-probe";
import { chromiumCpuMeter, cpuMeter, type CpuShare, summarize, treePssKb, type Summary } from "./stats";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LevelResult {
  handoffs: number;
  keystroke: Summary;
  framesPerSecondPerLightPhone: number;
  agentRendererPssMb: number;
  agentBrowserPssMb: number;
  /** A handoff's own cost (its isolated context, page and proxy), the agent's own page excluded. */
  rendererPssPerExtraHandoffMb: number | null;
  browserPssPerExtraHandoffMb: number | null;
  server: { rssMb: number; heapUsedMb: number; rssPerExtraHandoffMb: number | null; eventLoopDelayMs: { p50: number; p99: number; max: number } };
  /** Cores each process used while the timed phone typed. */
  cpu: CpuShare;
  /** The agent browser's cores by Chromium process type (the rest: the browser process, its utilities and zygotes). */
  agentCores: { renderers: number; gpu: number; rest: number };
  /** The bench's own event loop meanwhile: the worker of every handoff, and the light phones. */
  benchEventLoopDelayMs: { p50: number; p99: number; max: number };
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
  phoneBrowserPid: number;
  /** Opens the timed handoff (a real phone page). */
  openTimed(): Promise<LiveSession>;
  log(line: string): void;
}

/** The agent's own page at the login wall (what an agent has whether or not it hands off). */
async function openAgentPage(deps: ConcurrencyDeps): Promise<Page> {
  const agentPage = await (await deps.agentBrowser.newContext()).newPage();
  await agentPage.goto(deps.siteUrl);
  return agentPage;
}

async function startLight(deps: ConcurrencyDeps, agentPage: Page): Promise<LightHandoff> {
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
  const pages: Page[] = [];
  const out: LevelResult[] = [];
  try {
    for (const level of levels) {
      // The agents' own pages first, then their handoffs: the difference is what a handoff costs.
      const fresh: Page[] = [];
      try {
        while (lights.length + fresh.length + 1 < level) fresh.push(await openAgentPage(deps));
        pages.push(...fresh);
        await sleep(1500);
        const before = await memory(deps);
        for (const page of fresh) lights.push(await startLight(deps, page));
        await sleep(1500);
        out.push(await measureLevel(deps, timed, lights, keysPerLevel, { before, added: fresh.length }));
      } catch (error) {
        // Report the levels reached rather than lose the run: the machine ran out before this level.
        deps.log(`  could not run ${level} handoffs (${error instanceof Error ? error.message : String(error)}); stopping at ${lights.length + 1}`);
        break;
      }
      const row = out.at(-1)!;
      deps.log(
        `  ${level} handoffs: p50 ${row.keystroke.p50} ms, p95 ${row.keystroke.p95} ms, timeouts ${row.keystroke.timeouts}; ` +
          `renderers +${row.rendererPssPerExtraHandoffMb ?? "—"} MB each; server loop p99 ${row.server.eventLoopDelayMs.p99} ms`,
      );
    }
  } finally {
    for (const l of lights) {
      l.abort.abort();
      l.phone.close();
    }
    // Closed already when its handoff ended: nothing left to close.
    for (const page of pages)
      await page
        .context()
        .close()
        .catch(() => undefined);
    await closeLiveSession(timed);
  }
  return out;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;

/** Memory (MB) of the agent's browser (its renderers, and all of it) and of the server. */
interface Memory {
  renderer: number;
  browser: number;
  rss: number;
}

async function memory(deps: ConcurrencyDeps): Promise<Memory> {
  const { memoryMb } = await deps.server.probe("clock");
  return { renderer: treePssKb(deps.agentPid, "renderer") / 1024, browser: treePssKb(deps.agentPid) / 1024, rss: memoryMb.rss };
}

/** Memory now, then the timed phone's keystrokes while every light phone types, and the server's figures meanwhile. */
async function measureLevel(
  deps: ConcurrencyDeps,
  timed: LiveSession,
  lights: LightHandoff[],
  keys: number,
  start: { before: Memory; added: number },
): Promise<LevelResult> {
  const level = lights.length + 1;
  const now = await memory(deps);
  const stop = new AbortController();
  const typing = typeAlong(
    lights.map((l) => l.phone),
    stop.signal,
  );
  const framesBefore = lights.reduce((n, l) => n + l.phone.framesOpened, 0);
  const cpu = cpuMeter({ agentBrowser: deps.agentPid, phoneBrowser: deps.phoneBrowserPid, server: deps.server.pid });
  const agentCpu = chromiumCpuMeter(deps.agentPid);
  const agentStartedAt = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const startedAt = performance.now();
  await deps.server.probe("window");
  const values: (number | null)[] = [];
  for (let i = 0; i < keys + 5; i++) {
    const v = await measure(timed.phone, LAYOUT.field, "key", () => timed.phone.keyboard.type(LETTERS[i % 26]));
    if (i >= 5) values.push(v);
  }
  const answer = await deps.server.probe("window");
  const cores = cpu();
  // One reading for the whole tree and its parts, over one window, so the rest is their difference.
  const agentUsed = agentCpu();
  const elapsed = performance.now() - agentStartedAt;
  const share = (key: "total" | "renderers" | "gpu") => agentUsed[key] / elapsed;
  loop.disable();
  stop.abort();
  await typing;
  const seconds = (performance.now() - startedAt) / 1000;
  const frames = lights.reduce((n, l) => n + l.phone.framesOpened, 0) - framesBefore;
  // Per handoff started at this level, against the same browser with the agents' pages already open.
  const per = (key: "renderer" | "browser" | "rss") => (start.added > 0 ? round1((now[key] - start.before[key]) / start.added) : null);
  return {
    handoffs: level,
    keystroke: summarize(values),
    framesPerSecondPerLightPhone: lights.length ? round1(frames / lights.length / seconds) : 0,
    agentRendererPssMb: round1(now.renderer),
    agentBrowserPssMb: round1(now.browser),
    rendererPssPerExtraHandoffMb: per("renderer"),
    browserPssPerExtraHandoffMb: per("browser"),
    server: {
      rssMb: answer.memoryMb.rss,
      heapUsedMb: answer.memoryMb.heapUsed,
      rssPerExtraHandoffMb: per("rss"),
      eventLoopDelayMs: answer.eventLoopDelayMs,
    },
    cpu: cores,
    agentCores: {
      renderers: round2(share("renderers")),
      gpu: round2(share("gpu")),
      rest: round2(Math.max(0, share("total") - share("renderers") - share("gpu"))),
    },
    // The histogram's own 1 ms period taken off, as the server probe does.
    benchEventLoopDelayMs: {
      p50: round1(Math.max(0, loop.percentile(50) / 1e6 - 1)),
      p99: round1(Math.max(0, loop.percentile(99) / 1e6 - 1)),
      max: round1(Math.max(0, loop.max / 1e6 - 1)),
    },
  };
}

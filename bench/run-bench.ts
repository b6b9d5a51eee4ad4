/**
 * `npm run bench` — how fast the live view is, measured on the phone side, side by side with
 * Chromium's own limit and a naive screenshot-polling baseline, on a still page and on one that
 * never stops animating, with the phone at each density, in one run. Prints markdown tables and
 * writes the figures to bench/results/<time>.json. Not part of `npm test`.
 *
 * Options:
 *   --runs N          interleaved rounds over every path, page and density (default 3)
 *   --samples N       keystrokes per path per round (default 100; the naive path takes half)
 *   --taps N          taps per path per round (default 20)
 *   --dprs 1,3        phone densities; the agent's browser runs at --force-device-scale-factor=<dpr>
 *   --pages still,animating   which pages the latency rounds type on
 *   --levels 1,10,30,50   concurrent typing handoffs
 *   --quick           one short round, levels 1,5, no history (for development); options given beside it still count
 *   --ab              also Baton with the screencast alone (the design before), in the same rounds
 *   --frames KIND     with --trace: adaptive (Baton's), screencast or screenshots (see worker/screencast.ts)
 *   --trace           only the per-hop breakdown of keystrokes on the animating page, or on the one page --pages names,
 *                     and the limit's key → frame on that page (bench/trace.ts)
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext } from "playwright";
import { launchChromium } from "../worker/demo/chromium";
import type { FrameSourceKind } from "../worker/types";
import { startBenchSite } from "./bench-site";
import { concurrency } from "./concurrency";
import { LAYOUT } from "./bench-site";
import { center, closeLiveSession, createBenchAgent, openLiveSession, sessionStarts, startBenchServer, tapRemote } from "./harness";
import { historyPagination } from "./history-bench";
import { latencyMatrix, type PageName, PATHS } from "./latency-matrix";
import { limitConcurrency } from "./limit-concurrency";
import { frameRates, inputFidelity, keystrokes, typingBandwidth, WEAK_LINK, weakLink, withoutWebp } from "./phases";
import {
  concurrencyTable,
  cpuTable,
  fixedTable,
  type FixedFigures,
  leverTable,
  limitConcurrencyTable,
  matrixTables,
  type WeakLinkFigures,
  weakLinkTable,
} from "./report";
import { findBrowserPid, summarize } from "./stats";
import { runTrace } from "./trace";

const PAGES: PageName[] = ["still", "animating"];
const FRAME_SOURCES: FrameSourceKind[] = ["adaptive", "screencast", "screenshots"];
const root = fileURLToPath(new URL("../", import.meta.url));
const log = (line: string) => process.stdout.write(`${line}\n`);
const list = (text: string) =>
  text
    .split(",")
    .map(Number)
    .filter((n) => n > 0);

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string" },
      samples: { type: "string" },
      taps: { type: "string" },
      dprs: { type: "string", default: "1,3" },
      levels: { type: "string" },
      pages: { type: "string", default: "still,animating" },
      quick: { type: "boolean", default: false },
      ab: { type: "boolean", default: false },
      frames: { type: "string", default: "adaptive" },
      trace: { type: "boolean", default: false },
    },
  });
  const quick = values.quick;
  // --quick sets short defaults; an option given beside it still counts.
  const number = (given: string | undefined, normal: number, short: number) => (given !== undefined ? Number(given) : quick ? short : normal);
  return {
    runs: number(values.runs, 3, 1),
    keys: number(values.samples, 100, 30),
    taps: number(values.taps, 20, 10),
    dprs: list(values.dprs),
    pages: oneOf("--pages", values.pages.split(","), PAGES),
    levels: values.levels !== undefined ? list(values.levels) : quick ? [1, 5] : [1, 10, 30, 50],
    withHistory: !quick,
    isQuick: quick,
    paths: values.ab ? PATHS : PATHS.filter((p) => p !== "baton_screencast"),
    isTrace: values.trace,
    frames: oneOf("--frames", [values.frames], FRAME_SOURCES)[0],
  };
}

/** `given`, each checked against `allowed`; an unknown value stops the run before anything starts. */
function oneOf<T extends string>(option: string, given: string[], allowed: readonly T[]): T[] {
  const unknown = given.filter((g) => !allowed.includes(g as T));
  if (unknown.length > 0 || given.length === 0) throw new Error(`${option}: expected ${allowed.join(" or ")}, got ${given.join(",") || "nothing"}`);
  return given as T[];
}

async function main(): Promise<void> {
  const opts = options();
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("▸ Building the app first…");
    execFileSync("npx", ["next", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const server = await startBenchServer(root, { isTracing: opts.isTrace });
  const site = await startBenchSite();
  const apiKey = await createBenchAgent(server.dbFile, site.origin);
  const agentBrowsers = new Map<number, Browser>();
  const dprs = [...new Set([1, ...opts.dprs])];
  for (const dpr of dprs) agentBrowsers.set(dpr, await launchChromium([`--class=baton-bench-agent-${dpr}`, `--force-device-scale-factor=${dpr}`]));
  const phoneBrowser = await launchChromium(["--class=baton-bench-phone"]);
  const pids = {
    agentBrowser: (dpr: number) => findBrowserPid(`--class=baton-bench-agent-${dpr}`),
    phoneBrowser: findBrowserPid("--class=baton-bench-phone"),
    server: server.pid,
  };
  const agentBrowser = (dpr: number) => agentBrowsers.get(dpr)!;
  const siteUrl = (page: PageName) => (page === "still" ? site.url : site.animatingUrl);
  const open: Open = (o) =>
    openLiveSession({
      serverUrl: server.url,
      apiKey,
      siteUrl: siteUrl(o.page),
      agentBrowser: agentBrowser(o.dpr),
      phoneBrowser,
      frameSource: o.frameSource,
      dpr: o.dpr,
      phoneInit: o.phoneInit,
    });

  try {
    if (opts.isTrace) {
      log(`Frames: ${opts.frames}`);
      const dpr = Math.max(...opts.dprs);
      // The animating page unless --pages names one page alone.
      const page: PageName = opts.pages.length === 1 ? opts.pages[0] : "animating";
      const session = { serverUrl: server.url, apiKey, siteUrl: siteUrl(page), agentBrowser: agentBrowser(dpr), phoneBrowser, frameSource: opts.frames };
      return await runTrace({ server, session, log, samples: opts.keys, dpr, page });
    }
    const top = Math.max(...opts.dprs);
    log(`▸ Setup, frame rates, bandwidth and input fidelity (DPR ${top}, still page)…`);
    const { fixed, remote } = await fixedPhases(open, server, agentBrowser(top), site.url, top);
    log(`▸ Weak link (the phone at ${WEAK_LINK.bytesPerSecond / 1000} KB/s, DPR ${top}, still page): a phone that decodes WebP, one that does not…`);
    const weak = await weakLinkPhase(open, top, opts.isQuick ? 1 : 2, opts.isQuick ? 20 : 40);
    log(`▸ Latency: ${opts.runs} interleaved round(s) × DPR ${opts.dprs.join(", ")} × ${opts.pages.join("/")} × limit/naive/Baton…`);
    const matrix = await latencyMatrix(
      { agentBrowser, siteUrl, open, remote, pids, log },
      { paths: [...opts.paths], runs: opts.runs, dprs: opts.dprs, pages: opts.pages, keys: opts.keys, taps: opts.taps },
    );
    // Sessions opened one at a time (setup and latency rounds); the timed phones under load come next.
    const batonStarts = sessionStarts.filter((s) => s.frameSource === "adaptive");
    // The run's first handoff is the server's first: its create loads the route and opens the database.
    fixed.linkReadyMs = { first: sessionStarts[0]?.linkReadyMs ?? NaN, rest: summarize(sessionStarts.slice(1).map((s) => s.linkReadyMs)) };
    fixed.firstFrameAfterConnectMs = summarize(batonStarts.map((s) => s.connectToFirstFrameMs));
    fixed.approveToFirstFrameMs = summarize(batonStarts.map((s) => s.approveToFirstFrameMs));
    log(`▸ Concurrency (DPR 1, still page; other handoffs on light Node phones): ${opts.levels.join(", ")}…`);
    const levels = await concurrency(
      {
        server,
        apiKey,
        siteUrl: site.url,
        agentBrowser: agentBrowser(1),
        agentPid: findBrowserPid("--class=baton-bench-agent-1"),
        phoneBrowserPid: pids.phoneBrowser,
        openTimed: () => open({ dpr: 1, page: "still" }),
        log,
      },
      opts.levels,
      40,
    );
    log(`▸ Chromium alone at the same load (DPR 1, still page, no Baton): ${opts.levels.join(", ")} pages typing…`);
    const chromiumAlone = await limitConcurrency(
      { agentBrowser: agentBrowser(1), agentPid: findBrowserPid("--class=baton-bench-agent-1"), siteUrl: site.url, size: remote, log },
      opts.levels,
      40,
    );
    const history = opts.withHistory ? await historyPagination() : null;
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
      options: opts,
      fixed,
      weak,
      matrix,
      concurrency: levels,
      chromiumAlone,
      history,
    };
    printResult(result);
  } finally {
    for (const browser of agentBrowsers.values()) await browser.close();
    await phoneBrowser.close();
    await site.close();
    await server.close();
  }
}

type Result = {
  at: string;
  machine: { cpus: number; model?: string };
  options: ReturnType<typeof options>;
  fixed: FixedFigures;
  weak: WeakLinkFigures;
  matrix: Awaited<ReturnType<typeof latencyMatrix>>;
  concurrency: Awaited<ReturnType<typeof concurrency>>;
  chromiumAlone: Awaited<ReturnType<typeof limitConcurrency>>;
  history: Awaited<ReturnType<typeof historyPagination>> | null;
};

/** Prints the tables and writes the figures to bench/results/<time>.json. */
function printResult(result: Result): void {
  const opts = result.options;
  log(`\n#### ${result.at.slice(0, 16).replace("T", " ")} UTC, ${result.machine.cpus} × ${result.machine.model}, Node ${process.version}`);
  log(`Options: ${opts.runs} round(s), ${opts.keys} keystrokes and ${opts.taps} taps per path per round, DPR ${opts.dprs.join(", ")}\n`);
  log(matrixTables(result.matrix));
  log(`\n${cpuTable(result.matrix)}`);
  const lever = leverTable(result.matrix);
  if (lever) log(`\n${lever}`);
  log(`\n${fixedTable(result.fixed)}\n`);
  log(`${weakLinkTable(result.weak)}\n`);
  log("Concurrency (one timed phone page; the others light Node phones that open and acknowledge every frame, no JPEG decode):\n");
  log(concurrencyTable(result.concurrency));
  log(
    "\nChromium alone at the same load (the agent's browser at DPR 1, plain pages on the still page typing 8 keys/s each, no Baton; one page timed as the limit is, the others' screencasts acknowledged and dropped; then no screencast at all):\n",
  );
  log(limitConcurrencyTable(result.chromiumAlone));
  const history = result.history;
  if (history)
    log(
      `\nDashboard history at ${history.rows.toLocaleString("en")} handoffs (median ms): ${Object.entries(history.pages)
        .map(([k, v]) => `${k} ${v}`)
        .join(" · ")}`,
    );
  const dir = path.join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nFigures written to ${path.relative(root, file)}`);
}

type Open = (o: {
  dpr: number;
  page: PageName;
  frameSource?: FrameSourceKind;
  phoneInit?: (context: BrowserContext) => Promise<void>;
}) => ReturnType<typeof openLiveSession>;

/** The weak-link rounds: each round a phone that decodes WebP, then one that does not, on fresh sessions. */
async function weakLinkPhase(open: Open, dpr: number, rounds: number, samples: number): Promise<WeakLinkFigures> {
  const runs = { webp: [] as Awaited<ReturnType<typeof weakLink>>[], jpeg: [] as Awaited<ReturnType<typeof weakLink>>[] };
  for (let round = 0; round < rounds; round++)
    for (const kind of ["webp", "jpeg"] as const) {
      const session = await open({ dpr, page: "still", phoneInit: kind === "jpeg" ? withoutWebp : undefined });
      runs[kind].push(await weakLink(session, samples));
      await closeLiveSession(session);
    }
  const figures = (r: (typeof runs)["webp"]) => ({
    keystroke: summarize(r.flatMap((x) => x.samples)),
    kBps: r.map((x) => x.kBps),
    bytesPerFrame: r.map((x) => x.bytesPerFrame),
  });
  return { dpr, rounds, kBps: WEAK_LINK.bytesPerSecond / 1000, phones: { webp: figures(runs.webp), jpeg: figures(runs.jpeg) } };
}

/** What is measured once: setup times, frame rates, bandwidth at a typing pace, fidelity, the sign-in. */
async function fixedPhases(open: Open, server: Awaited<ReturnType<typeof startBenchServer>>, agentBrowser: Browser, siteUrl: string, dpr: number) {
  const full = await open({ dpr, page: "still" });
  await keystrokes(full, 20, 10);
  await server.probe("window");
  const batonKBps = (await typingBandwidth(full)) / 1024;
  const loop = await server.probe("window");
  const batonFps = await frameRates(full);
  const fidelity = await inputFidelity(full, agentBrowser, siteUrl);
  // The page's first tap signs in (sets its session cookie), then the person says so.
  await tapRemote(full, center(LAYOUT.tapButton).x, center(LAYOUT.tapButton).y);
  await new Promise((r) => setTimeout(r, 500));
  await full.phone.getByRole("button", { name: "I'm signed in" }).click();
  const detectedToInjectedMs = (await withTimeout(full.result, 20_000, "the hand-over after “I'm signed in”")).timings.detectedToInjectedMs;
  await closeLiveSession(full);
  const naive = await open({ dpr, page: "still", frameSource: "screenshots" });
  const naiveKBps = (await typingBandwidth(naive)) / 1024;
  const naiveFps = await frameRates(naive);
  await closeLiveSession(naive);
  const health = await server.health();
  const fixed: FixedFigures = {
    // Filled in once the run is over, from every session it opened.
    linkReadyMs: { first: NaN, rest: summarize([]) },
    firstFrameAfterConnectMs: summarize([]),
    approveToFirstFrameMs: summarize([]),
    detectedToInjectedMs,
    fps: { baton: batonFps, naive: naiveFps },
    typingKBps: { baton: batonKBps, naive: naiveKBps },
    fidelity,
    eventLoopOneHandoffMs: loop.eventLoopDelayMs,
    relay: health.relay,
  };
  return { fixed, remote: full.remote };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref())]);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

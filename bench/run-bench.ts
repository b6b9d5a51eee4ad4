/**
 * `npm run bench` — how fast the live view is, measured on the phone side, side by side with
 * Chromium's own limit and a naive screenshot-polling baseline, in one run. Prints a table and
 * writes the figures to bench/results/<time>.json. Not part of `npm test`.
 *
 * Options: --samples N (keystrokes per path, default 300), --levels 1,10,20,30 (concurrent handoffs).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import { launchChromium } from "../worker/demo/chromium";
import { startBenchSite } from "./bench-site";
import { createBenchAgent, type LiveSession, openLiveSession, startBenchServer } from "./harness";
import { focusField, frameRates, inputFidelity, keystrokes, screencastLimit, taps, typingBandwidth } from "./phases";
import { LAYOUT } from "./bench-site";
import { historyPagination } from "./history-bench";
import { readCounters, measure } from "./phone-probe";
import { findBrowserPid, summarize, treePssKb, type Summary } from "./stats";

const root = fileURLToPath(new URL("../", import.meta.url));
const AGENT_MARKER = "--class=baton-bench-agent";
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: "string", default: "300" }, levels: { type: "string", default: "1,10,20,30" } } });
  const samples = Number(values.samples);
  const levels = values.levels
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("▸ Building the app first…");
    execFileSync("npx", ["next", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const server = await startBenchServer(root);
  const site = await startBenchSite();
  const apiKey = await createBenchAgent(server.dbFile, site.origin);
  const agentBrowser = await launchChromium([AGENT_MARKER]);
  const phoneBrowser = await launchChromium();
  const agentPid = findBrowserPid(AGENT_MARKER);
  const open = (frameSource?: "screencast" | "screenshots") =>
    openLiveSession({ serverUrl: server.url, apiKey, siteUrl: site.url, agentBrowser, phoneBrowser, frameSource });

  try {
    log(`▸ Baton's full path: ${samples} keystrokes, taps, frame rates, input fidelity…`);
    const approveStart = performance.now();
    const full = await open();
    const c = await readCounters(full.phone);
    const baton = {
      linkReadyMs: full.linkMs,
      firstFrameAfterConnectMs: c.firstDrawAt - c.wsOpenAt,
      approveToFirstFrameMs: c.firstDrawAt - c.approveAt,
      setupMs: performance.now() - approveStart,
      ...(await keystrokes(full, samples)),
      humanTypingBytesPerSecond: await typingBandwidth(full),
      tap: await taps(full, 50),
      fps: await frameRates(full),
      fidelity: await inputFidelity(full, agentBrowser, site.url),
      detectedToInjectedMs: 0,
    };
    await full.phone.getByRole("button", { name: "I'm signed in" }).click();
    baton.detectedToInjectedMs = (await full.result).timings.detectedToInjectedMs;
    await full.phoneContext.close();
    await full.agentPage.context().close();
    const healthAfterOne = await server.health();

    log("▸ The limit: Chromium's screencast read in-process…");
    const limit = await screencastLimit(agentBrowser, site.url, full.remote, samples);

    const naiveSamples = Math.max(50, Math.round(samples / 3));
    log(`▸ Naive baseline: screenshot polling over the same relay, ${naiveSamples} keystrokes…`);
    const naiveSession = await open("screenshots");
    const naive = {
      ...(await keystrokes(naiveSession, naiveSamples)),
      humanTypingBytesPerSecond: await typingBandwidth(naiveSession),
      tap: await taps(naiveSession, 20),
      fps: await frameRates(naiveSession),
    };
    naiveSession.abort.abort();
    await naiveSession.phoneContext.close();
    await naiveSession.agentPage.context().close();

    log(`▸ Concurrency: ${levels.join(", ")} live handoffs typing at once…`);
    const concurrency = await concurrent(open, levels, agentPid);
    const health = await server.health();
    log("▸ Dashboard history: pages through 100,000 handoffs…");
    const history = await historyPagination();

    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      samples,
      limit,
      baton,
      naive,
      concurrency,
      server: health,
      serverAfterOneHandoff: healthAfterOne,
      history,
    };
    printTable(result);
    const dir = path.join(root, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${result.at.replace(/[:.]/g, "-")}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nFigures written to ${path.relative(root, file)}`);
  } finally {
    await agentBrowser.close();
    await phoneBrowser.close();
    await site.close();
    await server.close();
  }
}

interface Level {
  handoffs: number;
  keystroke: Summary;
  agentBrowserPssMb: number;
  pssPerExtraHandoffMb: number | null;
}

async function concurrent(open: () => Promise<LiveSession>, levels: number[], agentPid: number): Promise<Level[]> {
  const sessions: LiveSession[] = [];
  const out: Level[] = [];
  const basePss = treePssKb(agentPid);
  let prev = { n: 0, pss: basePss };
  try {
    for (const level of levels) {
      while (sessions.length < level) {
        const s = await open();
        await focusField(s, LAYOUT.field);
        sessions.push(s);
      }
      await new Promise((r) => setTimeout(r, 1000));
      const pss = treePssKb(agentPid);
      const perSession = await Promise.all(
        sessions.map(async (s) => {
          const v: (number | null)[] = [];
          for (let i = 0; i < 25; i++) v.push(await measure(s.phone, LAYOUT.field, "key", () => s.phone.keyboard.type("abcdefghijklmnopqrstuvwxy"[i])));
          return v.slice(5);
        }),
      );
      const row = {
        handoffs: level,
        keystroke: summarize(perSession.flat()),
        agentBrowserPssMb: Math.round(pss / 102.4) / 10,
        pssPerExtraHandoffMb: level > prev.n ? Math.round((pss - prev.pss) / (level - prev.n) / 102.4) / 10 : null,
      };
      out.push(row);
      log(
        `  ${level} handoffs: p50 ${row.keystroke.p50} ms, p95 ${row.keystroke.p95} ms, timeouts ${row.keystroke.timeouts}, +${row.pssPerExtraHandoffMb} MB each`,
      );
      prev = { n: level, pss };
    }
  } finally {
    for (const s of sessions) {
      s.abort.abort();
      await s.phoneContext.close().catch(() => undefined);
      await s.agentPage
        .context()
        .close()
        .catch(() => undefined);
    }
  }
  return out;
}

function printTable(r: {
  limit: Summary;
  baton: {
    latency: Summary;
    bytesPerSecond: number;
    humanTypingBytesPerSecond: number;
    tap: Summary;
    fps: { animating: number; idle: number };
    linkReadyMs: number;
    firstFrameAfterConnectMs: number;
    approveToFirstFrameMs: number;
    detectedToInjectedMs: number;
    fidelity: { typed: number; lost: number; doubled: number };
  };
  naive: { latency: Summary; bytesPerSecond: number; humanTypingBytesPerSecond: number; tap: Summary; fps: { animating: number; idle: number } };
  concurrency: Level[];
  server: { eventLoopDelayMs: { p99: number }; relay: { maxQueuedPackets: number; maxBufferedBytes: number; framesDropped: number } };
  serverAfterOneHandoff: { eventLoopDelayMs: { p99: number } };
  history: { rows: number; pages: Record<string, number> };
}): void {
  const f = (v: number) => (Number.isFinite(v) ? (Math.round(v * 10) / 10).toString() : "—");
  const rows: [string, string, string, string, string][] = [];
  const lat = (name: string, key: "p50" | "p95" | "p99" | "max", target: string) =>
    rows.push([`keystroke→visible ${name} (ms)`, f(r.limit[key]), f(r.naive.latency[key]), f(r.baton.latency[key]), target]);
  lat("p50", "p50", "≤ 25");
  lat("p95", "p95", "≤ 50");
  lat("p99", "p99", "≤ 100");
  lat("max", "max", "");
  rows.push(["keystroke timeouts (>1 s)", String(r.limit.timeouts), String(r.naive.latency.timeouts), String(r.baton.latency.timeouts), "0"]);
  rows.push(["tap→visible p50 / p95 (ms)", "", `${f(r.naive.tap.p50)} / ${f(r.naive.tap.p95)}`, `${f(r.baton.tap.p50)} / ${f(r.baton.tap.p95)}`, "p95 ≤ 70"]);
  rows.push(["fps animating / idle", "", `${r.naive.fps.animating} / ${r.naive.fps.idle}`, `${r.baton.fps.animating} / ${r.baton.fps.idle}`, "≥ 55 / ~0"]);
  rows.push(["KB/s per viewer, typing 8 keys/s", "", f(r.naive.humanTypingBytesPerSecond / 1024), f(r.baton.humanTypingBytesPerSecond / 1024), "≤ 120"]);
  rows.push(["KB/s per viewer, typing flat out", "", f(r.naive.bytesPerSecond / 1024), f(r.baton.bytesPerSecond / 1024), ""]);
  rows.push(["handoff() → link ready (ms)", "", "", f(r.baton.linkReadyMs), "≤ 300"]);
  rows.push(["phone connects → first frame (ms)", "", "", f(r.baton.firstFrameAfterConnectMs), "≤ 150"]);
  rows.push(["Approve → first frame (ms)", "", "", f(r.baton.approveToFirstFrameMs), "≤ 500"]);
  rows.push(["signed in → cookies in agent (ms)", "", "", f(r.baton.detectedToInjectedMs), ""]);
  rows.push(["chars lost / doubled (of typed)", "", "", `${r.baton.fidelity.lost} / ${r.baton.fidelity.doubled} (${r.baton.fidelity.typed})`, "0 / 0"]);
  rows.push(["server event-loop delay p99, 1 handoff (ms)", "", "", f(r.serverAfterOneHandoff.eventLoopDelayMs.p99), "≤ 10"]);
  rows.push(["server event-loop delay p99, whole run (ms)", "", "", f(r.server.eventLoopDelayMs.p99), ""]);
  rows.push(["largest socket backlog (packets / bytes)", "", "", `${r.server.relay.maxQueuedPackets} / ${r.server.relay.maxBufferedBytes}`, ""]);
  rows.push(["frames dropped by the relay (slow phone)", "", "", String(r.server.relay.framesDropped), ""]);
  const widths = [44, 10, 14, 16, 10];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("");
  log("");
  log(line(["", "limit", "naive", "Baton", "target"]));
  for (const row of rows) log(line(row));
  log("");
  log(
    `Baton p50 / limit p50: ${f(r.baton.latency.p50 / r.limit.p50)}× (target ≤ 1.3×)   naive p50 / Baton p50: ${f(r.naive.latency.p50 / r.baton.latency.p50)}×`,
  );
  log(
    `\nDashboard history at ${r.history.rows.toLocaleString("en")} handoffs (median ms): ${Object.entries(r.history.pages)
      .map(([k, v]) => `${k} ${v}`)
      .join(" · ")}`,
  );
  for (const l of r.concurrency)
    log(
      `${String(l.handoffs).padStart(3)} concurrent: keystroke p50 ${f(l.keystroke.p50)} ms, p95 ${f(l.keystroke.p95)} ms, timeouts ${l.keystroke.timeouts}; agent browser ${l.agentBrowserPssMb} MB PSS, ${l.pssPerExtraHandoffMb ?? "—"} MB per extra handoff`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

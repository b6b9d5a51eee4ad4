/**
 * The pieces every benchmark phase shares: a Baton server of its own (built app, temp database),
 * an agent key, and phones — the real phone page, opened in a separate Chromium and instrumented.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright";
import { createAgentStore } from "../lib/agents/agent.store";
import { createAuditLog } from "../lib/audit/audit-log";
import { openDatabase } from "../lib/db/open-database";
import { systemClock } from "../lib/time/clock";
import { BatonClient, type HandoffLink, type HandoffResult } from "../worker";
import { PHONE } from "../worker/demo/phone-bot";
import type { FrameSourceKind } from "../worker/types";
import { installProbe, readCounters } from "./phone-probe";
import type { ProbeAnswer } from "./server-probe";

export interface BenchServer {
  url: string;
  pid: number;
  dbFile: string;
  health(): Promise<{
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    relay: { maxQueuedPackets: number; maxBufferedBytes: number; framesDropped: number };
  }>;
  /**
   * Asks the server's probe (bench/server-probe.ts): `window` gives event-loop delay since the last
   * window and starts a new one; `clock` only reads its clock; `relay` adds relay times for `ivs`.
   */
  probe(kind: "window" | "clock" | "relay", ivs?: string[]): Promise<ProbeAnswer>;
  close(): Promise<void>;
}

/**
 * A port that was free a moment ago, for the server child process, which must be told its port
 * before it starts (its PORT also makes its public origin); unavoidable here, unlike in-process servers.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startBenchServer(root: string, options: { isTracing?: boolean } = {}): Promise<BenchServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "baton-bench-"));
  const dbFile = path.join(dir, "baton.db");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--import", "./bench/server-probe.ts", "server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbFile}`,
      LOG_LEVEL: "warn",
      // Dozens of handoffs from one agent and one address within a minute: lift the abuse limits.
      RATE_CREATES_PER_MINUTE: "1000",
      RATE_CLAIMS_PER_MINUTE: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
      BATON_BENCH_TRACE: options.isTracing ? "1" : "0",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let asked = 0;
  const answers = new Map<number, (answer: ProbeAnswer) => void>();
  child.on("message", (answer: ProbeAnswer) => answers.get(answer.id)?.(answer));
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("the Baton server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    dbFile,
    health: async () => (await fetch(`${url}/healthz`)).json(),
    probe: (kind, ivs) =>
      new Promise((resolve) => {
        const id = ++asked;
        answers.set(id, (answer) => {
          answers.delete(id);
          resolve(answer);
        });
        child.send({ id, kind, ivs });
      }),
    close: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

export async function createBenchAgent(dbFile: string, origin: string): Promise<string> {
  const database = await openDatabase(`file:${dbFile}`);
  try {
    const created = await createAgentStore(database.db, createAuditLog(database.db, systemClock), systemClock).create({
      name: "Bench agent",
      origins: [origin],
      maxConcurrent: 50,
    });
    return created.apiKey;
  } finally {
    await database.close();
  }
}

export interface LiveSession {
  agentPage: Page;
  phone: Page;
  phoneContext: BrowserContext;
  result: Promise<HandoffResult>;
  abort: AbortController;
  linkMs: number;
  remote: { width: number; height: number };
  handoffId: string;
}

export interface LiveSessionOptions {
  serverUrl: string;
  apiKey: string;
  siteUrl: string;
  agentBrowser: Browser;
  phoneBrowser: Browser;
  frameSource?: FrameSourceKind;
  /** The phone's devicePixelRatio (default 1). */
  dpr?: number;
  /** More instrumentation for the phone page, installed before it loads (the trace's). */
  phoneInit?: (context: BrowserContext) => Promise<void>;
}

/** How long each session opened in this run took from `handoff()` to its link, and from the phone's Approve and its connection to its first frame. */
export const sessionStarts: { frameSource: FrameSourceKind; linkReadyMs: number; connectToFirstFrameMs: number; approveToFirstFrameMs: number }[] = [];

/** An agent page that hands its wall to a phone that approves; resolves once frames are drawn. */
export async function openLiveSession(opts: LiveSessionOptions): Promise<LiveSession> {
  const agentPage = await (await opts.agentBrowser.newContext()).newPage();
  await agentPage.goto(opts.siteUrl);
  const abort = new AbortController();
  let deliver!: (link: HandoffLink) => void;
  const linkReady = new Promise<HandoffLink>((r) => (deliver = r));
  const started = performance.now();
  let linkMs = 0;
  const result = new BatonClient({ serverUrl: opts.serverUrl, apiKey: opts.apiKey }).handoff(agentPage, {
    reason: "Benchmark",
    frameSource: opts.frameSource,
    signal: abort.signal,
    onLink: (link) => {
      linkMs = performance.now() - started;
      deliver(link);
    },
  });
  result.catch(() => undefined);
  const link = await linkReady;
  const phoneContext = await opts.phoneBrowser.newContext({ ...PHONE, deviceScaleFactor: opts.dpr ?? 1 });
  await installProbe(phoneContext);
  await opts.phoneInit?.(phoneContext);
  const phone = await phoneContext.newPage();
  await phone.goto(link.url);
  await phone.getByRole("button", { name: "Continue" }).click();
  await phone.getByRole("button", { name: "Approve" }).click();
  await phone.getByRole("status").filter({ hasText: /^Live/ }).waitFor({ timeout: 30_000 });
  await phone.waitForFunction(() => (window as unknown as { __bench: { drawCount: number } }).__bench.drawCount > 0);
  const c = await readCounters(phone);
  sessionStarts.push({
    frameSource: opts.frameSource ?? "adaptive",
    linkReadyMs: linkMs,
    connectToFirstFrameMs: c.firstDrawAt - c.wsOpenAt,
    approveToFirstFrameMs: c.firstDrawAt - c.approveAt,
  });
  const remote = await phone
    .getByTestId("live-view")
    .evaluate((el) => ({ width: Number(el.getAttribute("data-remote-width")), height: Number(el.getAttribute("data-remote-height")) }));
  return { agentPage, phone, phoneContext, result, abort, linkMs, remote, handoffId: link.handoffId };
}

/** Ends a session and closes both its pages; a session already over closes quietly. */
export async function closeLiveSession(session: LiveSession): Promise<void> {
  session.abort.abort();
  // Already closed with its browser, or ended by the handoff: nothing is left to close.
  await session.phoneContext.close().catch(() => undefined);
  await session.agentPage
    .context()
    .close()
    .catch(() => undefined);
}

/** Taps the live view where the remote page has its point (x, y). */
export async function tapRemote(session: LiveSession, x: number, y: number): Promise<void> {
  const box = await session.phone.getByTestId("live-view").boundingBox();
  if (!box) throw new Error("no live view");
  await session.phone.touchscreen.tap(box.x + (x * box.width) / session.remote.width, box.y + (y * box.height) / session.remote.height);
}

export const center = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

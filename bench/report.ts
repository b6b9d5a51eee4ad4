/** The benchmark's printed figures, as markdown tables ready to paste into the README. */
import type { LevelResult } from "./concurrency";
import type { LimitLevel } from "./limit-concurrency";
import type { CellSamples, MatrixCell, PathName } from "./latency-matrix";
import type { CpuShare } from "./stats";
import { spread, summarize, type Summary } from "./stats";

const f = (v: number) => (Number.isFinite(v) ? (Math.round(v * 10) / 10).toString() : "—");
const ratio = (a: number, b: number) => `${f(a / b)}×`;
const quartet = (s: Summary) => `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)} / ${f(s.max)}`;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export interface FixedFigures {
  /** The run's first handoff (the server's first since it started), and every later one opened alone. */
  linkReadyMs: { first: number; rest: Summary };
  /** Over every session the run opened (the phone's real page each time). */
  firstFrameAfterConnectMs: Summary;
  approveToFirstFrameMs: Summary;
  detectedToInjectedMs: number;
  fps: { baton: { animating: number; idle: number }; naive: { animating: number; idle: number } };
  typingKBps: { baton: number; naive: number };
  fidelity: { typed: number; lost: number; doubled: number };
  eventLoopOneHandoffMs: { p50: number; p99: number; max: number };
  relay: { maxQueuedPackets: number; maxBufferedBytes: number; framesDropped: number };
}

/** The phone on a weak link (bench/phases.ts WEAK_LINK), by what it decodes; samples pooled over the rounds. */
export interface WeakLinkFigures {
  dpr: number;
  rounds: number;
  kBps: number;
  phones: Record<"webp" | "jpeg", { keystroke: Summary; kBps: number[]; bytesPerFrame: number[] }>;
}

export function weakLinkTable(x: WeakLinkFigures): string {
  const span = (values: number[]) => `${f(Math.min(...values))}–${f(Math.max(...values))}`;
  const row = (name: string, p: WeakLinkFigures["phones"]["webp"]) => [
    name,
    `**${quartet(p.keystroke)}**`,
    String(p.keystroke.timeouts),
    span(p.kBps),
    span(p.bytesPerFrame.map((b) => b / 1024)),
  ];
  return [
    `The phone on a ${x.kBps} KB/s link (DPR ${x.dpr}, still page, ${x.rounds} round(s) of each phone, interleaved):`,
    "",
    table(
      ["phone", "keystroke → visible p50 / p95 / p99 / max (ms)", "timeouts", "KB/s typing 8 keys/s", "KB per frame drawn"],
      [row("decodes WebP (frames go as WebP)", x.phones.webp), row("does not (JPEG at the slow-link quality)", x.phones.jpeg)],
    ),
  ].join("\n");
}

const samplesOf = (cell: MatrixCell, path: PathName): CellSamples => cell.paths[path] ?? { keystroke: [], tap: [], rounds: [], cpu: [] };

/** Mean cores per process while `path` was measured in `cell`, as "agent / phone / bench / server". */
function cores(cell: MatrixCell, path: PathName): string {
  const rounds = samplesOf(cell, path).cpu;
  if (rounds.length === 0) return "—";
  const mean = (key: keyof CpuShare) => f(rounds.reduce((n, r) => n + r[key], 0) / rounds.length);
  return `${mean("agentBrowser")} / ${mean("phoneBrowser")} / ${mean("bench")} / ${mean("server")}`;
}

export function cpuTable(cells: MatrixCell[]): string {
  const paths = (["limit", "naive", "baton", "baton_screencast"] as const).filter((p) => cells.some((c) => c.paths[p]));
  return [
    "CPU while each path was measured (cores, mean over rounds: agent's browser / phone's browser / bench process with the worker / server; the machine has 2):",
    "",
    table(
      ["", ...paths],
      cells.map((cell) => [`DPR ${cell.dpr}, ${cell.page}`, ...paths.map((p) => cores(cell, p))]),
    ),
  ].join("\n");
}

export function matrixTables(cells: MatrixCell[]): string {
  const keyRows = cells.map((cell) => {
    const [l, n, b] = (["limit", "naive", "baton"] as const).map((p) => summarize(samplesOf(cell, p).keystroke));
    return [
      `DPR ${cell.dpr}, ${cell.page}`,
      quartet(l),
      quartet(n),
      `**${quartet(b)}**`,
      `${l.timeouts} / ${n.timeouts} / ${b.timeouts}`,
      `${ratio(b.p50, l.p50)} / ${ratio(b.p95, l.p95)}`,
      ratio(n.p50, b.p50),
      `${roundSpread(samplesOf(cell, "baton"), "p50")} / ${roundSpread(samplesOf(cell, "baton"), "p95")}`,
      `${roundSpread(samplesOf(cell, "limit"), "p50")} / ${roundSpread(samplesOf(cell, "limit"), "p95")}`,
    ];
  });
  const tapRows = cells.map((cell) => {
    const [l, n, b] = (["limit", "naive", "baton"] as const).map((p) => summarize(samplesOf(cell, p).tap));
    return [`DPR ${cell.dpr}, ${cell.page}`, quartet(l), quartet(n), `**${quartet(b)}**`, `${l.timeouts} / ${n.timeouts} / ${b.timeouts}`, ratio(b.p50, l.p50)];
  });
  return [
    "Keystroke → visible (ms, p50 / p95 / p99 / max; samples pooled over the rounds):",
    "",
    table(
      ["", "limit", "naive", "Baton", "timeouts L / N / B", "Baton ÷ limit p50 / p95", "naive ÷ Baton p50", "Baton p50 / p95 spread", "limit p50 / p95 spread"],
      keyRows,
    ),
    "",
    "Targets: Baton ÷ limit ≤ 1.3× at p50 and ≤ 1.5× at p95 at DPR 3; Baton p95 ≤ 50 ms on the still page; naive ÷ Baton ≥ 2×; no timeouts.",
    "",
    "Tap → visible (ms, p50 / p95 / p99 / max):",
    "",
    table(["", "limit", "naive", "Baton", "timeouts L / N / B", "Baton ÷ limit p50"], tapRows),
    "",
    "Target: Baton p95 ≤ 70 ms.",
  ].join("\n");
}

/** Baton against Baton with the screencast alone (the design before), when the run measured both (--ab). */
export function leverTable(cells: MatrixCell[]): string | null {
  if (!cells.some((c) => c.paths.baton_screencast)) return null;
  const rows = cells.map((cell) => {
    const [adaptive, castOnly] = (["baton", "baton_screencast"] as const).map((p) => summarize(samplesOf(cell, p).keystroke));
    const [tapAdaptive, tapCast] = (["baton", "baton_screencast"] as const).map((p) => summarize(samplesOf(cell, p).tap));
    return [
      `DPR ${cell.dpr}, ${cell.page}`,
      `**${quartet(adaptive)}**`,
      quartet(castOnly),
      `${ratio(castOnly.p50, adaptive.p50)} / ${ratio(castOnly.p95, adaptive.p95)}`,
      `**${f(tapAdaptive.p50)} / ${f(tapAdaptive.p95)}** vs ${f(tapCast.p50)} / ${f(tapCast.p95)}`,
      `${adaptive.timeouts} / ${castOnly.timeouts}`,
    ];
  });
  return [
    "Lever: captures while the page animates (Baton) against the screencast alone, keystroke → visible (ms, p50 / p95 / p99 / max):",
    "",
    table(["", "Baton", "screencast alone", "alone ÷ Baton p50 / p95", "tap p50 / p95", "timeouts"], rows),
  ].join("\n");
}

function roundSpread(cell: CellSamples, key: "p50" | "p95"): string {
  return spread(cell.rounds.map((r) => r[key]));
}

export function fixedTable(x: FixedFigures): string {
  return table(
    ["", "naive", "Baton", "target"],
    [
      [
        "frames per second, animating / idle",
        `${x.fps.naive.animating} / ${x.fps.naive.idle}`,
        `**${x.fps.baton.animating} / ${x.fps.baton.idle}**`,
        "≥ 55 / ~0",
      ],
      ["KB/s per viewer typing 8 keys/s", f(x.typingKBps.naive), `**${f(x.typingKBps.baton)}**`, "≤ 54 (today)"],
      [
        `\`handoff()\` → link ready: the server's first handoff; p50 / p95 / max over the ${x.linkReadyMs.rest.n} after it (ms)`,
        "",
        `**${f(x.linkReadyMs.first)}; ${f(x.linkReadyMs.rest.p50)} / ${f(x.linkReadyMs.rest.p95)} / ${f(x.linkReadyMs.rest.max)}**`,
        "≤ 300",
      ],
      [
        `phone connects → first frame, p50 / p95 / max over Baton's ${x.firstFrameAfterConnectMs.n} sessions opened alone (ms)`,
        "",
        `**${f(x.firstFrameAfterConnectMs.p50)} / ${f(x.firstFrameAfterConnectMs.p95)} / ${f(x.firstFrameAfterConnectMs.max)}**`,
        "≤ 150",
      ],
      [
        "Approve → first frame, p50 / p95 / max (ms)",
        "",
        `**${f(x.approveToFirstFrameMs.p50)} / ${f(x.approveToFirstFrameMs.p95)} / ${f(x.approveToFirstFrameMs.max)}**`,
        "≤ 500",
      ],
      ["signed in → cookies in the agent's context (ms)", "", `**${f(x.detectedToInjectedMs)}**`, ""],
      [`characters lost / doubled of ${x.fidelity.typed} (fast, paste, IME)`, "", `**${x.fidelity.lost} / ${x.fidelity.doubled}**`, "0 / 0"],
      [
        "server event-loop delay p50 / p99 / max, one handoff typing (ms)",
        "",
        `**${f(x.eventLoopOneHandoffMs.p50)} / ${f(x.eventLoopOneHandoffMs.p99)} / ${f(x.eventLoopOneHandoffMs.max)}**`,
        "p99 ≤ 10",
      ],
      [
        "relay: largest backlog (packets / bytes), frames dropped",
        "",
        `${x.relay.maxQueuedPackets} / ${x.relay.maxBufferedBytes}, ${x.relay.framesDropped}`,
        "",
      ],
    ],
  );
}

export function limitConcurrencyTable(levels: LimitLevel[]): string {
  return table(
    [
      "pages typing",
      "with screencasts: timed page key → frame p50 / p95 / p99 / max (ms)",
      "timeouts",
      "the other pages' keys in per second, of asked",
      "agent browser cores / CPU per key (ms)",
      "no screencast: timed page's key taken p50 / p95 / p99 / max (ms)",
      "the other pages' keys in per second, of asked",
      "agent browser cores / CPU per key (ms)",
    ],
    levels.map((l) => [
      String(l.pages),
      quartet(l.withFrames.keystroke),
      String(l.withFrames.keystroke.timeouts),
      l.pages > 1 ? `${f(l.withFrames.keysPerSecond)} of ${f(l.withFrames.keysAskedPerSecond)}` : "—",
      `${l.withFrames.agentCores} / ${f(l.withFrames.cpuPerKeyMs)}`,
      quartet(l.withoutFrames.dispatch),
      l.pages > 1 ? `${f(l.withoutFrames.keysPerSecond)} of ${f(l.withoutFrames.keysAskedPerSecond)}` : "—",
      `${l.withoutFrames.agentCores} / ${f(l.withoutFrames.cpuPerKeyMs)}`,
    ]),
  );
}

export function concurrencyTable(levels: LevelResult[]): string {
  return table(
    [
      "handoffs typing",
      "timed phone keystroke p50 / p95 / p99 / max (ms)",
      "timeouts",
      "frames/s per light phone",
      "agent renderers PSS (MB)",
      "per extra handoff (its own; agent page apart): renderers / whole browser (MB)",
      "server RSS / heap (MB)",
      "server RSS per extra handoff (MB)",
      "server event-loop p50 / p99 / max (ms)",
      "cores: agent browser / phone browser / bench (worker + light phones) / server",
      "agent browser's cores: renderers / GPU process / browser process and the rest",
      "bench event-loop p50 / p99 / max (ms)",
    ],
    levels.map((l) => [
      String(l.handoffs),
      quartet(l.keystroke),
      String(l.keystroke.timeouts),
      f(l.framesPerSecondPerLightPhone),
      f(l.agentRendererPssMb),
      `${l.rendererPssPerExtraHandoffMb ?? "—"} / ${l.browserPssPerExtraHandoffMb ?? "—"}`,
      `${f(l.server.rssMb)} / ${f(l.server.heapUsedMb)}`,
      String(l.server.rssPerExtraHandoffMb ?? "—"),
      `${f(l.server.eventLoopDelayMs.p50)} / ${f(l.server.eventLoopDelayMs.p99)} / ${f(l.server.eventLoopDelayMs.max)}`,
      `${l.cpu.agentBrowser} / ${l.cpu.phoneBrowser} / ${l.cpu.bench} / ${l.cpu.server}`,
      `${l.agentCores.renderers} / ${l.agentCores.gpu} / ${l.agentCores.rest}`,
      `${f(l.benchEventLoopDelayMs.p50)} / ${f(l.benchEventLoopDelayMs.p99)} / ${f(l.benchEventLoopDelayMs.max)}`,
    ]),
  );
}

/**
 * Keystroke → visible and tap → visible for every path on every page at every phone density, in
 * one run, interleaved: each of `runs` rounds goes through every (density, page) and, within it,
 * every path, the order of the paths turning round from one round to the next, so the machine's
 * load drifts over all of them alike. Samples pool over the rounds; each round's p50/p95 is kept for
 * the spread.
 */
import type { Browser } from "playwright";
import type { FrameSourceKind } from "../worker/types";
import { closeLiveSession, type LiveSession } from "./harness";
import { screencastLimit } from "./limit";
import { keystrokes, taps } from "./phases";
import { cpuMeter, type CpuShare, summarize, type Summary } from "./stats";

/** `baton_screencast` is Baton with the screencast alone, also on an animating page (the design before), for --ab. */
export const PATHS = ["limit", "naive", "baton", "baton_screencast"] as const;
export type PathName = (typeof PATHS)[number];
export type PageName = "still" | "animating";

export interface CellSamples {
  keystroke: (number | null)[];
  tap: (number | null)[];
  /** Each round's keystroke summary, for the spread between rounds. */
  rounds: Summary[];
  /** Cores each process used while this path was measured, one entry per round. */
  cpu: CpuShare[];
}

export interface MatrixCell {
  dpr: number;
  page: PageName;
  paths: Partial<Record<PathName, CellSamples>>;
}

export interface MatrixDeps {
  /** The agent's browser launched with --force-device-scale-factor=<dpr>. */
  agentBrowser(dpr: number): Browser;
  siteUrl(page: PageName): string;
  open(options: { dpr: number; page: PageName; frameSource: FrameSourceKind }): Promise<LiveSession>;
  /** The remote viewport the phone asks for (the limit runs at the same size). */
  remote: { width: number; height: number };
  pids: { agentBrowser(dpr: number): number; phoneBrowser: number; server: number };
  log(line: string): void;
}

export interface MatrixOptions {
  paths: PathName[];
  runs: number;
  dprs: number[];
  pages: PageName[];
  keys: number;
  taps: number;
}

const FRAME_SOURCE: Record<Exclude<PathName, "limit">, FrameSourceKind> = { naive: "screenshots", baton: "adaptive", baton_screencast: "screencast" };

const emptyCell = (): CellSamples => ({ keystroke: [], tap: [], rounds: [], cpu: [] });

export async function latencyMatrix(deps: MatrixDeps, options: MatrixOptions): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  for (const dpr of options.dprs)
    for (const page of options.pages) cells.push({ dpr, page, paths: Object.fromEntries(options.paths.map((p) => [p, emptyCell()])) });
  // The naive path is slow by design; fewer keystrokes keep the run short without starving it.
  const naiveKeys = Math.max(30, Math.round(options.keys / 2));
  for (let round = 0; round < options.runs; round++) {
    for (const [c, cell] of cells.entries()) {
      const paths = options.paths;
      const order = paths.map((_, i) => paths[(i + round + c) % paths.length]);
      for (const path of order) {
        const cpu = cpuMeter({ agentBrowser: deps.pids.agentBrowser(cell.dpr), phoneBrowser: deps.pids.phoneBrowser, server: deps.pids.server });
        const got = await measurePath(deps, cell, path, path === "naive" ? naiveKeys : options.keys, options.taps);
        const target = cell.paths[path]!;
        target.cpu.push(cpu());
        target.keystroke.push(...got.keystroke);
        target.tap.push(...got.tap);
        target.rounds.push(summarize(got.keystroke));
      }
      const last = paths.map((p) => `${p} p50 ${cell.paths[p]!.rounds.at(-1)!.p50} / p95 ${cell.paths[p]!.rounds.at(-1)!.p95}`);
      deps.log(`  round ${round + 1}, DPR ${cell.dpr}, ${cell.page}: ${last.join(", ")} ms`);
    }
  }
  return cells;
}

/** Starts counting; the function returned gives the cores each process used since. */
async function measurePath(
  deps: MatrixDeps,
  cell: MatrixCell,
  path: PathName,
  keys: number,
  tapCount: number,
): Promise<{ keystroke: (number | null)[]; tap: (number | null)[] }> {
  if (path === "limit") return screencastLimit(deps.agentBrowser(cell.dpr), deps.siteUrl(cell.page), deps.remote, { keys, taps: tapCount });
  const session = await deps.open({ dpr: cell.dpr, page: cell.page, frameSource: FRAME_SOURCE[path] });
  try {
    const typed = await keystrokes(session, keys);
    return { keystroke: typed.samples, tap: await taps(session, tapCount) };
  } finally {
    await closeLiveSession(session);
  }
}

/** Small numeric helpers for the benchmark: percentiles, memory of a process tree, edit distance. */
import { readdirSync, readFileSync } from "node:fs";

export interface Summary {
  n: number;
  timeouts: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: (number | null)[]): Summary {
  const values = samples.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const at = (q: number) => (values.length ? values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] : Number.NaN);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    n: values.length,
    timeouts: samples.length - values.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(values.at(-1) ?? Number.NaN),
  };
}

/**
 * Proportional set size (kB) of a process and all its descendants, from /proc (Linux only); with
 * `onlyType`, only the descendants started with `--type=<onlyType>` (Chromium's renderers).
 */
export function treePssKb(rootPid: number, onlyType?: string): number {
  let total = 0;
  for (const pid of descendants(rootPid)) {
    if (onlyType && !isOfType(pid, onlyType)) continue;
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      total += m ? Number(m[1]) : 0;
    } catch {
      // Gone meanwhile: it uses no memory any more.
    }
  }
  return total;
}

function isOfType(pid: number, type: string): boolean {
  try {
    // Renderers forked from Chromium's zygote rewrite their title as one string: no NUL between arguments.
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`--type=${type}`);
  } catch {
    return false; // gone meanwhile
  }
}

/** The smallest and largest of `values`, as "a–b" (or the one value). */
export function spread(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "—";
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** Cores in use (CPU seconds per second) by each process while a path is measured. */
export interface CpuShare {
  agentBrowser: number;
  phoneBrowser: number;
  /** The bench's own process: the worker, Playwright's clients, the limit's decoding, the light phones. */
  bench: number;
  server: number;
}

/**
 * Starts measuring the cores each process uses (the bench's own process, and each of `pids` with its
 * descendants); the function returned gives the shares since the start.
 */
export function cpuMeter(pids: { agentBrowser: number; phoneBrowser: number; server: number }): () => CpuShare {
  const agentBrowser = treeCpuMeter(pids.agentBrowser);
  const phoneBrowser = treeCpuMeter(pids.phoneBrowser);
  const server = treeCpuMeter(pids.server);
  const benchBefore = process.cpuUsage();
  const startedAt = performance.now();
  return () => {
    const elapsed = performance.now() - startedAt;
    const bench = process.cpuUsage(benchBefore);
    const cores = (ms: number) => Math.round((ms / elapsed) * 100) / 100;
    return {
      agentBrowser: cores(agentBrowser()),
      phoneBrowser: cores(phoneBrowser()),
      bench: cores((bench.user + bench.system) / 1000),
      server: cores(server()),
    };
  };
}

/**
 * Starts counting the CPU time (ms) a process tree uses; the function returned gives the time since.
 * Each live process counts its own time and that of its children that have exited and been reaped
 * (Linux adds those to the reaper's `cutime`/`cstime`), so a renderer that exits meanwhile (a
 * closed page's) is still counted, and not taken off with its whole past.
 */
export function treeCpuMeter(rootPid: number): () => number {
  const before = treeCpuMs(rootPid);
  return () => Math.max(0, treeCpuMs(rootPid) - before);
}

/** As treeCpuMeter, for a Chromium, by process type. A renderer that exits meanwhile counts in "the rest": its zygote reaps it. */
export function chromiumCpuMeter(rootPid: number): () => { total: number; renderers: number; gpu: number } {
  const read = () => {
    const out = { total: 0, renderers: 0, gpu: 0 };
    for (const pid of descendants(rootPid)) {
      const ms = processCpuMs(pid);
      out.total += ms;
      if (isOfType(pid, "renderer")) out.renderers += ms;
      else if (isOfType(pid, "gpu-process")) out.gpu += ms;
    }
    return out;
  };
  const before = read();
  return () => {
    const after = read();
    return {
      total: Math.max(0, after.total - before.total),
      renderers: Math.max(0, after.renderers - before.renderers),
      gpu: Math.max(0, after.gpu - before.gpu),
    };
  };
}

function treeCpuMs(rootPid: number): number {
  let total = 0;
  for (const pid of descendants(rootPid)) total += processCpuMs(pid);
  return total;
}

/** utime + stime + cutime + cstime: the process's own time and its reaped children's. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return 0; // gone and not yet reaped: counted once its reaper has it
  }
}

function descendants(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended between listing and reading: it has no children to count.
    }
  }
  const out: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The pid of the Chromium main process started with `marker` among its arguments. */
export function findBrowserPid(marker: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes(marker) && !args.some((a) => a.startsWith("--type="))) return Number(entry);
    } catch {
      // Not ours to read, or gone: not the browser we look for.
    }
  }
  throw new Error(`no browser process with ${marker}`);
}

/** Characters lost and doubled between what was typed and what arrived (via the longest common subsequence). */
export function fidelity(expected: string, actual: string): { lost: number; extra: number } {
  const a = [...expected];
  const b = [...actual];
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    prev = row;
  }
  const common = prev[b.length];
  return { lost: a.length - common, extra: b.length - common };
}

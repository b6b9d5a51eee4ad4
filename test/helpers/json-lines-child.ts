/**
 * A child process that speaks JSON lines on stdout (the packed SDK's consumer, the CDP sidecar with
 * `--json`): every line is kept, a test waits for the first one that matches, and the exit code is a
 * promise. Lines that are not JSON are kept as `{ text }`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createInterface } from "node:readline";

export type JsonLine = Record<string, unknown>;

export interface JsonLinesChild {
  child: ChildProcess;
  readonly lines: JsonLine[];
  stderr(): string;
  /** The first line (already seen or still to come) for which `match` holds. */
  next(match: (line: JsonLine) => boolean, timeoutMs?: number): Promise<JsonLine>;
  exited: Promise<number | null>;
}

function parseLine(text: string): JsonLine {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonLine) : { text };
  } catch {
    return { text };
  }
}

export function spawnJsonLines(command: string, args: string[], options: SpawnOptions): JsonLinesChild {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const lines: JsonLine[] = [];
  const waiters = new Set<(line: JsonLine) => void>();
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on("line", (text) => {
    const line = parseLine(text);
    lines.push(line);
    for (const waiter of [...waiters]) waiter(line);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    next(match, timeoutMs = 30_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching line within ${timeoutMs} ms; stdout: ${JSON.stringify(lines)}; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        const waiter = (line: JsonLine) => {
          if (!match(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`exited before a matching line; stdout: ${JSON.stringify(lines)}; stderr: ${stderr.slice(-2000)}`));
        });
      });
    },
  };
}

/**
 * A throwaway Redis for tests: Debian's `redis-server` as a local process on a loopback port, no
 * persistence. `kill()` and `start()` (or `restart()`) take it away and bring it back on the same
 * port (Redis going away mid-handoff); `stop()` ends it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./free-port";

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: nothing flushed, connections dropped). */
  kill(): Promise<void>;
  /** Starts a fresh (empty) server on the same port; resolves once it accepts. */
  start(): Promise<void>;
  /** kill, then start. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.once("error", (e) => reject(new Error(`redis-server did not start (${e.message}); install the redis-server package`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-400)}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));

export async function startRedisServer(): Promise<RedisServer> {
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; !child; attempt += 1) {
    // Redis must be told its port: a clash with another process is retried on a new one.
    port = await freePort();
    try {
      child = await launch(port);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  let current: ChildProcess = child;
  const kill = async () => {
    current.kill("SIGKILL");
    await exited(current);
  };
  const start = async () => {
    current = await launch(port);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      current.kill("SIGKILL");
      await exited(current);
    },
  };
}

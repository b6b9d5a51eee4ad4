/**
 * Loaded into the benchmark's Baton server (`node --import ./bench/server-probe.ts server.ts`), never
 * into a real one. Answers the bench over the child-process channel with what the server's own
 * /healthz cannot give per phase: event-loop delay since the last question (a window per concurrency
 * level, not since start), memory, and — with BATON_BENCH_TRACE=1 — when each sealed envelope entered
 * and left the relay, keyed by its IV (framing the relay may read; nothing is opened).
 *
 * /healthz's histogram runs at a 10 ms resolution and reports intervals, so its figures include the
 * 10 ms timer period itself (an idle server shows p50 ≈ 10.1 ms). This probe times at 1 ms and
 * subtracts the period: what is left is how late the loop was.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { Socket } from "socket.io";

const RESOLUTION_MS = 1;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();

/** Relay timestamps (epoch ms, high resolution) by envelope IV, while tracing. */
const relayTimes = new Map<string, { in?: number; out?: number }>();
const now = () => performance.timeOrigin + performance.now();
const ivKey = (payload: Uint8Array) => Buffer.from(payload.subarray(0, 12)).toString("hex");

if (process.env.BATON_BENCH_TRACE === "1") {
  type Listener = (...args: unknown[]) => void;
  // Taken off the prototype to be called again with each socket as `this`.
  /* eslint-disable @typescript-eslint/unbound-method */
  const originalOn = Socket.prototype.on as (this: Socket, event: string, listener: Listener) => Socket;
  const originalEmit = Socket.prototype.emit as (this: Socket, event: string, ...args: unknown[]) => boolean;
  /* eslint-enable @typescript-eslint/unbound-method */
  Socket.prototype.on = function (this: Socket, event: string, listener: Listener) {
    if (event !== "stream:data") return originalOn.call(this, event, listener);
    return originalOn.call(this, event, (...args: unknown[]) => {
      if (args[0] instanceof Uint8Array) stamp(ivKey(args[0]), "in");
      listener(...args);
    });
  } as typeof Socket.prototype.on;
  Socket.prototype.emit = function (this: Socket, event: string, ...args: unknown[]) {
    if (event === "stream:data" && args[0] instanceof Uint8Array) stamp(ivKey(args[0]), "out");
    return originalEmit.call(this, event, ...args);
  } as typeof Socket.prototype.emit;
}

function stamp(key: string, at: "in" | "out"): void {
  const entry = relayTimes.get(key) ?? {};
  entry[at] ??= now();
  relayTimes.set(key, entry);
  // Bounded: the trace asks about the last few envelopes only.
  if (relayTimes.size > 5000) relayTimes.delete(relayTimes.keys().next().value!);
}

const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

export interface ProbeAnswer {
  id: number;
  now: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  memoryMb: { rss: number; heapUsed: number; external: number };
  relay?: Record<string, { in?: number; out?: number }>;
}

process.on("message", (raw: unknown) => {
  const message = raw as { id: number; kind: "window" | "clock" | "relay"; ivs?: string[] };
  const answer: ProbeAnswer = {
    id: message.id,
    now: now(),
    eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    memoryMb: memory(),
  };
  if (message.kind === "window") loop.reset();
  if (message.kind === "relay") answer.relay = Object.fromEntries((message.ivs ?? []).map((iv) => [iv, relayTimes.get(iv) ?? {}]));
  process.send?.(answer);
});

function memory(): ProbeAnswer["memoryMb"] {
  const m = process.memoryUsage();
  const mb = (b: number) => Math.round(b / 1024 / 102.4) / 10;
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), external: mb(m.external) };
}

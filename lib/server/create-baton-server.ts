/**
 * Baton's composition root: the http (or, with TLS files configured, https) server with the REST
 * API, the Socket.IO relay, the expiry sweep and (when given) Next's request handler for pages.
 * Tests start it on port 0 without Next.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Config } from "../config/config";
import type { Db } from "../db/open-database";
import { AppError } from "../errors/app-error";
import type { Logger } from "../logging/logger";
import type { Resolve } from "../webhooks/webhook-url";
import { createApiRouter } from "./api-router";
import type { Clock } from "../time/clock";
import { sendError, sendJson } from "./http-json";
import { attachOperatorSocket } from "./operator.socket";
import { createOperatorRouter, isOperatorPath } from "./operator-router";
import { attachRelay } from "./relay.socket";
import { applyPageHeaders } from "./security-headers";
import { createServices } from "./services";
import { isWellEncodedTarget, malformedTarget } from "./strict-url";

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface BatonServerDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  pages?: PageHandler;
  /** How often handoffs past their deadline are expired. */
  sweepIntervalMs?: number;
  /** Name resolution for webhook URLs (default: the system's). */
  resolve?: Resolve;
  /**
   * A server already bound to its port, to serve on instead of a new one. Tests bind port 0 first
   * and parse the config with the port they got, so nothing can take the port in between.
   */
  bound?: HttpServer | HttpsServer;
}

/** How often the event-loop delay is sampled for /healthz. */
const LOOP_SAMPLE_MS = 10;

export function createBatonServer(deps: BatonServerDeps) {
  const services = createServices(deps);
  const handleApi = createApiRouter(services);
  const handleOperatorApi = createOperatorRouter(services);
  const isDev = deps.config.env === "development";

  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loopDelay.enable();

  const httpServer = listenerServer(deps, (req, res) => {
    // One gate for the API, the dashboard API, the pages and `/h/<token>` alike.
    if (!isWellEncodedTarget(req.url ?? "/")) return sendError(res, malformedTarget(), deps.logger, "(malformed request target)");
    const path = (req.url ?? "/").split("?")[0];
    if (isOperatorPath(path)) return void handleOperatorApi(req, res);
    if (path.startsWith("/api/")) return void handleApi(req, res);
    if (path === "/healthz") return sendJson(res, 200, health());
    if (!deps.pages) return sendError(res, new AppError("NOT_FOUND", "no pages"), deps.logger, "(pages)");
    if (!path.startsWith("/_next/")) applyPageHeaders(req, res, isDev);
    // Inside an async function, so a handler that throws at once is caught like one that rejects;
    // sendError logs it (the message only) and answers INTERNAL from the error table.
    const pages = deps.pages;
    void (async () => pages(req, res))().catch((error: unknown) => sendError(res, error, deps.logger, "page"));
  });

  const relay = attachRelay(httpServer, services);
  const { io, stats } = relay;
  const operatorSocket = attachOperatorSocket(io, services);

  /** Liveness plus load figures (no identifiers): event-loop delay since start, relay backlog. */
  function health() {
    // The histogram holds the time between its timer's runs, its period included (an idle server
    // read p50 10.1 ms): what is past the period is the delay.
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - LOOP_SAMPLE_MS) * 100) / 100);
    return {
      ok: true,
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max), samples: loopDelay.count },
      relay: { ...stats, sockets: io.sockets.sockets.size },
    };
  }
  // The sweep: one node (the lease holder) ends what is due for every node; each node flushes its
  // own counted failures. The lease outlives a few missed ticks, so a busy node keeps it, and a dead
  // one is replaced within its TTL.
  const sweepMs = deps.sweepIntervalMs ?? 1000;
  const leaseTtlMs = Math.max(3000, sweepMs * 5);
  const { nodeId } = services.cluster;
  let isSweeping = false;
  let sweeps: Promise<void> = Promise.resolve();
  async function runSweep(): Promise<void> {
    isSweeping = true;
    try {
      await services.failures.flushDue();
      const wasLeader = services.leadership.isLeader;
      services.leadership.isLeader = await services.leases.tryHold("sweep", nodeId, leaseTtlMs);
      if (services.leadership.isLeader !== wasLeader) deps.logger.info(services.leadership.isLeader ? "sweep lease taken" : "sweep lease lost", { nodeId });
      if (!services.leadership.isLeader) return;
      await services.handoffs.endRevoked();
      await services.handoffs.expireDue();
      await services.agentPresence.endGone();
    } catch (error) {
      deps.logger.error("expiry sweep failed", { error: error instanceof Error ? error.message : "unknown" });
    } finally {
      isSweeping = false;
    }
  }
  /** One sweep (counted failures; as the lease holder: revoked agents, deadlines, gone agents), after any in progress; tests call it instead of waiting. */
  function sweepNow(): Promise<void> {
    sweeps = sweeps.then(runSweep);
    return sweeps;
  }
  const sweep = setInterval(() => {
    if (!isSweeping) void sweepNow();
  }, sweepMs);
  sweep.unref();
  services.webhookWorker.start();

  async function listen(port = deps.config.port, host = deps.config.host): Promise<string> {
    // Several nodes: not serving before Redis answers (ClusterError names REDIS_URL otherwise).
    await services.cluster.ready();
    if (!httpServer.listening) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve());
      });
    }
    // Start-up work (Next preparing its pages) is not the serving load the figure is about.
    loopDelay.reset();
    const address = httpServer.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    return `${deps.config.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  }

  async function close(): Promise<void> {
    clearInterval(sweep);
    await services.webhookWorker.stop();
    // The next node need not wait out the TTL. A failed release only means it waits.
    if (services.leadership.isLeader)
      await services.leases.release("sweep", nodeId).catch((e: Error) => deps.logger.warn("sweep lease release failed", { error: e.message }));
    // Counted failures of the open window are part of the record too.
    await services.failures.flushAll();
    operatorSocket.close();
    loopDelay.disable();
    relay.close();
    // Only this node's sockets: on several nodes the others keep theirs.
    io.local.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    httpServer.closeAllConnections();
    await services.cluster.close();
  }

  return { httpServer, io, services, listen, close, sweepNow };
}

export type BatonServer = ReturnType<typeof createBatonServer>;

/** The bound server if one was given; else an https server when TLS files are configured (read once, at start), else plain http. */
function listenerServer({ bound, config: { tls } }: BatonServerDeps, listener: RequestListener): HttpServer | HttpsServer {
  if (bound) return bound.on("request", listener);
  if (!tls) return createServer(listener);
  return createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, listener);
}

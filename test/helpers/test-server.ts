/**
 * Starts a real Baton server (no Next pages) on a loopback port it binds itself (port 0) with a fresh
 * database: a SQLite file by default, a new PostgreSQL database under `npm run test:postgres`
 * (test-database.ts), or the `databaseUrl` given.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "../../lib/config/config";
import { openDatabase } from "../../lib/db/open-database";
import { createLogger, type Logger } from "../../lib/logging/logger";
import type { Clock } from "../../lib/time/clock";
import { systemClock } from "../../lib/time/clock";
import { createBatonServer, type PageHandler } from "../../lib/server/create-baton-server";
import type { Resolve } from "../../lib/webhooks/webhook-url";
import { freePort } from "./free-port";
import { freshDatabaseUrl } from "./test-database";

/**
 * A port that was free a moment ago. Only for a child process that must be told its port before it
 * starts (Chromium's remote-debugging port): between this and the child's bind another process can
 * take it. Servers in this process bind port 0 instead (`startTestServer`).
 */
export { freePort };

export interface TestServer {
  url: string;
  dir: string;
  /** The SQLite file; null on PostgreSQL. */
  dbFile: string | null;
  logLines: string[];
  baton: ReturnType<typeof createBatonServer>;
  services: ReturnType<typeof createBatonServer>["services"];
  createAgent(origins: string[], extra?: { maxConcurrent?: number; maxTtlSeconds?: number }): Promise<{ agentId: string; apiKey: string }>;
  close(): Promise<void>;
}

/** `resolve` answers webhook host names (tests never ask real DNS); `pages` stands in for Next's request handler. */
export async function startTestServer(
  options: { env?: Record<string, string>; clock?: Clock; logger?: Logger; resolve?: Resolve; pages?: PageHandler; databaseUrl?: string } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "baton-test-"));
  const env = options.env ?? {};
  // Bound first, on port 0: the config then names the port the server already holds.
  const bound = await bindLoopback(env.TLS_CERT_FILE && env.TLS_KEY_FILE ? { cert: env.TLS_CERT_FILE, key: env.TLS_KEY_FILE } : null);
  const port = (bound.address() as AddressInfo).port;
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl(dir));
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "debug",
    // PostgreSQL requires both (every node must share them); a SQLite server makes its own.
    ...(databaseUrl.startsWith("file:")
      ? {}
      : { SESSION_SECRET: randomBytes(32).toString("base64url"), WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64url") }),
    ...options.env,
  });
  const database = await openDatabase(config.databaseUrl);
  const logLines: string[] = [];
  const logger = options.logger ?? createLogger("debug", (line) => logLines.push(line));
  const baton = createBatonServer({
    config,
    db: database.db,
    clock: options.clock ?? systemClock,
    logger,
    pages: options.pages,
    sweepIntervalMs: 200,
    resolve: options.resolve,
    bound,
  });
  const url = await baton.listen(port, "127.0.0.1");
  return {
    url,
    dir,
    dbFile: database.file,
    logLines,
    baton,
    services: baton.services,
    async createAgent(origins, extra = {}) {
      const created = await baton.services.agents.create({ name: "Test agent", origins, ...extra });
      return { agentId: created.agentId, apiKey: created.apiKey };
    },
    async close() {
      await baton.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function bindLoopback(tls: { cert: string; key: string } | null): Promise<HttpServer | HttpsServer> {
  const server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }) : createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}

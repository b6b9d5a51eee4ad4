/**
 * Starts a real Baton server (no Next pages) on a free loopback port with a fresh database: a SQLite
 * file by default, a new PostgreSQL database under `npm run test:postgres` (test-database.ts), or the
 * `databaseUrl` given.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
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
  const port = await freePort();
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

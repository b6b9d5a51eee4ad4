/**
 * Baton's server: Next.js pages, the REST API and the Socket.IO relay on one port.
 * Start with `npm start` (after `npm run build`) or `npm run dev`.
 */
import { networkInterfaces } from "node:os";
import next from "next";
import { ConfigError, parseConfig } from "./lib/config/config";
import { openDatabase } from "./lib/db/open-database";
import { createLogger } from "./lib/logging/logger";
import { systemClock } from "./lib/time/clock";
import { createBatonServer } from "./lib/server/create-baton-server";
import { isWildcardHost, lanAddresses } from "./lib/server/lan-addresses";
import { publishServices } from "./lib/server/published-services";

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl);
  if (database.migrations.applied.length > 0) logger.info("database migrated", { database: database.location, applied: database.migrations.applied.join(",") });

  const app = next({ dev: config.env === "development", hostname: config.host, port: config.port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  const baton = createBatonServer({ config, db: database.db, clock: systemClock, logger, pages: (req, res) => handle(req, res) });
  publishServices(baton.services);
  await app.prepare();
  const url = await baton.listen();
  logger.info("Baton is listening", { url, publicOrigin: config.publicOrigin, database: database.location });
  if (isWildcardHost(config.host)) {
    // Where a phone on the same network can reach this server; PUBLIC_URL must name one of them.
    const scheme = config.tls ? "https" : "http";
    const lan = lanAddresses(networkInterfaces()).map((address) => `${scheme}://${address}:${config.port}`);
    logger.info("reachable on the local network", { addresses: lan.join(" ") || "none found" });
  }

  const stop = async () => {
    await baton.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Baton failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

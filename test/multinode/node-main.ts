/**
 * One Baton node for the multinode suite: the same composition root as `server.ts` (REST API,
 * relay, operator socket, sweep) without Next's pages, configured from the environment like any
 * node. It listens on a port the kernel picks and prints `{"listening":"<url>"}` once it serves;
 * its log lines follow on stdout.
 */
import { parseConfig } from "../../lib/config/config";
import { openDatabase } from "../../lib/db/open-database";
import { createLogger } from "../../lib/logging/logger";
import { createBatonServer } from "../../lib/server/create-baton-server";
import { systemClock } from "../../lib/time/clock";

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl);
  const baton = createBatonServer({ config, db: database.db, clock: systemClock, logger, sweepIntervalMs: 250 });
  const url = await baton.listen(0, "127.0.0.1");
  process.stdout.write(`${JSON.stringify({ listening: url, nodeId: baton.services.cluster.nodeId, migrated: database.migrations.applied })}\n`);
  process.once("SIGTERM", () => {
    void baton
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ failed: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(1);
});

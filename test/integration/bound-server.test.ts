/**
 * Tests bind port 0 before the config is parsed and hand the bound server to createBatonServer:
 * no window in which another process could take the port (the old free-port-then-listen race).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config";
import { openDatabase } from "../../lib/db/open-database";
import { createLogger } from "../../lib/logging/logger";
import { createBatonServer } from "../../lib/server/create-baton-server";
import { systemClock } from "../../lib/time/clock";

describe("a server bound before it is configured", () => {
  it("serves on the port it was bound to, without binding again", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "baton-bound-"));
    const bound = createServer();
    await new Promise<void>((resolve) => bound.listen(0, "127.0.0.1", resolve));
    const port = (bound.address() as AddressInfo).port;
    const config = parseConfig({ NODE_ENV: "test", PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${path.join(dir, "baton.db")}` });
    const database = await openDatabase(config.databaseUrl);
    const baton = createBatonServer({ config, db: database.db, clock: systemClock, logger: createLogger("error", () => undefined), bound });
    try {
      expect(await baton.listen()).toBe(`http://127.0.0.1:${port}`);
      expect(baton.httpServer).toBe(bound);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      type Health = { ok: boolean; eventLoopDelayMs: { p50: number; p99: number; max: number; samples: number } };
      expect(((await health.json()) as Health).ok).toBe(true);
      const read = async () => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Health;
      await expect.poll(async () => (await read()).eventLoopDelayMs.samples, { timeout: 5_000 }).toBeGreaterThanOrEqual(20);
      const figures = await read();
      // The delay, not the sampling period (10 ms) with it: an idle server's median is well under it.
      expect(figures.eventLoopDelayMs.p50).toBeGreaterThanOrEqual(0);
      expect(figures.eventLoopDelayMs.p50).toBeLessThan(5);
    } finally {
      await baton.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

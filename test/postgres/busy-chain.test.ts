/**
 * A write that cannot take its turn on the audit chain — another node holds the ordering point past
 * the wait — is refused as "busy, try again" (503 with Retry-After), not as an unexplained failure;
 * nothing of it is kept, and the same request goes through once the chain is free.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_CHAIN_LOCK_KEY, CHAIN_LOCK_WAIT_MS } from "../../lib/audit/chain-order";
import { verifyChain } from "../../lib/audit/verify-chain";
import { createDatabase } from "../helpers/postgres-cluster";
import { postgresAdminUrl } from "../helpers/test-database";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4999";
let server: TestServer;
let databaseUrl: string;
let apiKey: string;

beforeAll(async () => {
  databaseUrl = await createDatabase(postgresAdminUrl());
  server = await startTestServer({ databaseUrl });
  apiKey = (await server.createAgent([TARGET])).apiKey;
});
afterAll(async () => server?.close());

const createHandoff = () =>
  fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read your statements" }),
  });

describe("the audit chain held by another node", () => {
  it(
    "answers 503 with Retry-After once the wait is over, keeps nothing of the write, and takes it when the chain is free",
    { timeout: CHAIN_LOCK_WAIT_MS + 30_000 },
    async () => {
      const holder = new pg.Client({ connectionString: databaseUrl });
      await holder.connect();
      const before = await server.services.db.handoff.count();
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_CHAIN_LOCK_KEY]);
        const refused = await createHandoff();
        expect(refused.status).toBe(503);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await refused.json()).toEqual({ error: { code: "BUSY", message: expect.stringMatching(/busy/i) } });
        expect(await server.services.db.handoff.count()).toBe(before);
      } finally {
        await holder.query("ROLLBACK").catch(() => undefined);
        await holder.end();
      }
      const taken = await createHandoff();
      expect(taken.status).toBe(201);
      expect(await server.services.db.handoff.count()).toBe(before + 1);
      expect((await verifyChain(server.services.db)).ok).toBe(true);
      // What the server logged says why — a warning, not a failure — and carries no key.
      const logged = server.logLines.join("\n");
      expect(logged).toContain('"level":"warn","msg":"request refused: the database is busy"');
      expect(logged).not.toContain('"msg":"request failed","context":"POST /api/handoffs"');
      expect(logged).not.toContain(apiKey);
    },
  );
});

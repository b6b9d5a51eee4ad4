/**
 * The sweep lease: take, renew, refuse while held, take over after expiry — each a single
 * conditional write, on the database chosen by BATON_TEST_DATABASE (SQLite by default; PostgreSQL
 * under `npm run test:postgres`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeases, type Leases } from "../../lib/cluster/lease";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";
import { freshDatabaseUrl } from "../helpers/test-database";

const TTL = 10_000;
let now = Date.parse("2026-12-01T10:00:00.000Z");
const clock = { now: () => new Date(now) };

let dir: string;
let database: OpenedDatabase;
let leases: Leases;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-lease-"));
  database = await openDatabase(await freshDatabaseUrl(dir));
  leases = createLeases(database.db, clock);
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const holder = async (name: string) => (await database.db.lease.findUnique({ where: { name } }))?.holderId ?? null;

describe("the sweep lease", () => {
  it("is taken by the first node that asks, until now + ttl to the millisecond", async () => {
    expect(await leases.tryHold("take", "node-a", TTL)).toBe(true);
    const row = await database.db.lease.findUnique({ where: { name: "take" } });
    expect(row).toEqual({ name: "take", holderId: "node-a", expiresAt: new Date(now + TTL) });
  });

  it("is refused to another node while it has not expired, and stays with its holder", async () => {
    expect(await leases.tryHold("held", "node-a", TTL)).toBe(true);
    now += TTL - 1;
    expect(await leases.tryHold("held", "node-b", TTL)).toBe(false);
    expect(await holder("held")).toBe("node-a");
  });

  it("is renewed by its holder, which pushes the expiry on", async () => {
    expect(await leases.tryHold("renew", "node-a", TTL)).toBe(true);
    now += TTL - 1;
    expect(await leases.tryHold("renew", "node-a", TTL)).toBe(true);
    now += TTL - 1;
    // Past the first expiry, but renewed: still node-a's.
    expect(await leases.tryHold("renew", "node-b", TTL)).toBe(false);
    expect((await database.db.lease.findUnique({ where: { name: "renew" } }))?.expiresAt).toEqual(new Date(now + 1));
  });

  it("is taken over by another node once it expired (a dead holder is replaced)", async () => {
    expect(await leases.tryHold("takeover", "node-a", TTL)).toBe(true);
    now += TTL;
    expect(await leases.tryHold("takeover", "node-b", TTL)).toBe(true);
    expect(await holder("takeover")).toBe("node-b");
    // The old holder, back from a pause, does not get it back by renewing.
    expect(await leases.tryHold("takeover", "node-a", TTL)).toBe(false);
  });

  it("goes to exactly one of several nodes asking at once", async () => {
    const asks = await Promise.all(["a", "b", "c", "d", "e"].map((n) => leases.tryHold("race", `node-${n}`, TTL)));
    expect(asks.filter(Boolean)).toHaveLength(1);
    expect(await holder("race")).toBe(`node-${"abcde"[asks.indexOf(true)]}`);
  });

  it("can be released by its holder only, and is then free at once", async () => {
    expect(await leases.tryHold("release", "node-a", TTL)).toBe(true);
    await leases.release("release", "node-b");
    expect(await holder("release")).toBe("node-a");
    await leases.release("release", "node-a");
    expect(await leases.tryHold("release", "node-b", TTL)).toBe(true);
  });
});

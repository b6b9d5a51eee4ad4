/**
 * Issue 14.5: anyone could fill the audit log — every bad key and every bad socket handshake
 * wrote a row, and all writes share one queue, so a burst delayed real lifecycle writes.
 * Unauthenticated failures (bad keys, bad handshakes, sign-ins to no account) are now counted per client address and per window and written as one
 * `auth.failures` row each, with the exact count and the reasons.
 */
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFailureLedger, OTHER_ADDRESSES } from "../../lib/audit/failure-ledger";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4984";
const WINDOW_MS = 60_000;
// A fixed instant in the middle of a window: the burst cannot straddle a window boundary.
let nowMs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS + 1_000;
const clock = { now: () => new Date(nowMs) };
let server: TestServer;
let apiKey: string;

function createWithKey(key: string | null, address: string) {
  return fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "Read statements" }),
  });
}

/** A dashboard sign-in for an account that does not exist. */
async function signInAsNobody(i: number, address: string): Promise<number> {
  const r = await fetch(new URL("/api/operator/sign-in", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": address },
    body: JSON.stringify({ email: `nobody-${i}@example.com`, password: "not-a-password-123" }),
  });
  await r.text();
  return r.status;
}

/** A handshake that must fail; resolves with the refusal's message. */
function badHandshake(auth: Record<string, unknown>, address: string): Promise<string> {
  const socket = io(server.url, {
    transports: ["websocket"],
    reconnection: false,
    auth: { protocolVersion: PROTOCOL_VERSION, ...auth },
    extraHeaders: { "x-forwarded-for": address, origin: server.url },
  });
  return new Promise((resolve) =>
    socket.once("connect_error", (e) => {
      socket.close();
      resolve(e.message);
    }),
  );
}

const failureRows = async () =>
  (await server.services.db.auditEvent.findMany({ where: { action: "auth.failures" }, orderBy: { seq: "asc" } })).map((r) => ({
    seq: r.seq,
    ...(JSON.parse(r.details) as { address: string; count: number; reasons: Record<string, number> }),
  }));

beforeAll(async () => {
  server = await startTestServer({ clock, env: { TRUST_PROXY: "1", RATE_CREATES_PER_MINUTE: "100" } });
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 10 })).apiKey;
});
afterAll(async () => server?.close());

describe("a burst of unauthenticated failures", () => {
  it("writes one row per address with the exact count and reasons, and none while the burst runs ahead of a legitimate create", async () => {
    const rowsBefore = await server.services.db.auditEvent.count();
    const burst: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) burst.push(createWithKey(`bat_${"x".repeat(43)}`, "198.51.100.20").then((r) => r.text()));
    for (let i = 0; i < 80; i++) burst.push(createWithKey(null, "198.51.100.21").then((r) => r.text()));
    for (let i = 0; i < 20; i++)
      burst.push(badHandshake({ role: "agent", handoffId: "hnd_AAAAAAAAAAAAAAAA", apiKey: `bat_${"y".repeat(43)}` }, "198.51.100.20"));
    for (let i = 0; i < 15; i++) burst.push(badHandshake({ role: "phone", handoffId: "hnd_AAAAAAAAAAAAAAAA" }, "198.51.100.22"));
    for (let i = 0; i < 8; i++) burst.push(signInAsNobody(i, "198.51.100.23"));
    // The legitimate create goes out while the burst is in flight.
    const legitimate = await createWithKey(apiKey, "198.51.100.30");
    expect(legitimate.status).toBe(201);
    const { id } = (await legitimate.json()) as { id: string };
    await Promise.all(burst);

    // Nothing the burst did was written ahead of the lifecycle row: it was only counted.
    const created = await server.services.db.auditEvent.findFirstOrThrow({ where: { handoffId: id, action: "handoff.created" } });
    expect(await server.services.db.auditEvent.count({ where: { seq: { lt: created.seq } } })).toBe(rowsBefore);
    expect(await server.services.db.auditEvent.count()).toBe(rowsBefore + 1);

    await server.services.failures.flushAll();
    const rows = await failureRows();
    // Past 30 bad keys an address's further unknown keys are shed without a lookup (auth-throttle.ts);
    // how many were looked up first depends on how the concurrent requests interleave.
    const flooder = rows.find((r) => r.address === "198.51.100.20")!;
    expect(flooder.count).toBe(320);
    expect((flooder.reasons.agent_key_invalid ?? 0) + (flooder.reasons.agent_key_shed ?? 0)).toBe(300);
    expect((flooder.reasons.socket_invalid_key ?? 0) + (flooder.reasons.socket_key_shed ?? 0)).toBe(20);
    expect(flooder.reasons.agent_key_shed).toBeGreaterThan(0);
    expect(
      rows
        .filter((r) => r.address !== "198.51.100.20")
        .map(({ address, count, reasons }) => ({ address, count, reasons }))
        .sort((a, b) => a.address.localeCompare(b.address)),
    ).toEqual([
      { address: "198.51.100.21", count: 80, reasons: { agent_key_missing: 80 } },
      { address: "198.51.100.22", count: 15, reasons: { socket_device_not_bound: 15 } },
      { address: "198.51.100.23", count: 8, reasons: { sign_in_unknown_account: 8 } },
    ]);
    const first = await server.services.db.auditEvent.findUniqueOrThrow({ where: { seq: rows[0].seq } });
    expect(first).toMatchObject({ actor: "system", decision: "deny" });
    expect(JSON.parse(first.details)).toMatchObject({
      windowStart: expect.any(String),
      windowEnd: expect.any(String),
      firstAt: expect.any(String),
      lastAt: expect.any(String),
    });
  });

  it("writes a window's rows when the window ends, not before, and starts counting afresh in the next", async () => {
    const before = (await failureRows()).length;
    await createWithKey(null, "198.51.100.40").then((r) => r.text());
    await createWithKey(null, "198.51.100.40").then((r) => r.text());
    expect(await server.services.failures.flushDue()).toBe(0);
    // The server's own sweep (every 200 ms) may write the ended window before this test's flushDue
    // does: either way there is one row, committed when the audit log says it appended it.
    const written = new Promise<void>((resolve) => {
      const onAppended = (record: { action: string; details: string }) => {
        if (record.action !== "auth.failures" || !record.details.includes('"198.51.100.40"')) return;
        server.services.audit.events.off("appended", onAppended);
        resolve();
      };
      server.services.audit.events.on("appended", onAppended);
    });
    nowMs += WINDOW_MS;
    await createWithKey(null, "198.51.100.40").then((r) => r.text());
    await server.services.failures.flushDue();
    await written;
    expect((await failureRows()).slice(before).map((r) => [r.address, r.count])).toEqual([["198.51.100.40", 2]]);
    await server.services.failures.flushAll();
    expect((await failureRows()).slice(before).map((r) => [r.address, r.count])).toEqual([
      ["198.51.100.40", 2],
      ["198.51.100.40", 1],
    ]);
  });

  it("sheds unknown keys from an address past 30 bad keys a minute without a lookup, while an agent that authenticated from it keeps working", async () => {
    const address = "198.51.100.50";
    expect((await createWithKey(apiKey, address)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await createWithKey(`bat_${"z".repeat(43)}`, address)).status);
    expect(statuses).toEqual([...Array(30).fill(401), ...Array(10).fill(429)]);
    expect((await createWithKey(apiKey, address)).status).toBe(201);
    // A key this address never used is shed too while the window lasts: the price of not looking it up.
    const fresh = await server.createAgent([TARGET]);
    expect((await createWithKey(fresh.apiKey, address)).status).toBe(429);
    expect((await createWithKey(fresh.apiKey, "198.51.100.51")).status).toBe(201);
    nowMs += WINDOW_MS;
    expect((await createWithKey(fresh.apiKey, address)).status).toBe(201);
  });

  it("bounds the rows of one window however many addresses take part: the rest are summed under one row", async () => {
    const ledger = createFailureLedger(server.services.audit, clock, { windowMs: WINDOW_MS, maxAddresses: 3 });
    for (let i = 0; i < 50; i++) ledger.record(`203.0.113.${i}`, "agent_key_invalid");
    expect(await ledger.flushAll()).toBe(4);
    const rows = (await failureRows()).slice(-4);
    expect(rows.map((r) => [r.address, r.count])).toEqual([
      ["203.0.113.0", 1],
      ["203.0.113.1", 1],
      ["203.0.113.2", 1],
      [OTHER_ADDRESSES, 47],
    ]);
  });
});

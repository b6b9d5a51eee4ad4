/**
 * Webhook attempts claim their delivery first: a second worker on the same database — the sweep's
 * lease handed to another node while an attempt was under way — finds nothing due and sends nothing,
 * and the retry after the attempt ends goes once, with the same webhook-id. Runs on SQLite and, in
 * `npm run test:postgres`, on PostgreSQL (where the claim's compare-and-set is on a timestamp).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookWorker } from "../../lib/webhooks/webhook-worker";
import type { ResolvedAddress } from "../../lib/webhooks/webhook-url";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { WebhookReceiver } from "../helpers/webhook-receiver";

const TARGET = "http://127.0.0.1:4995";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const resolve = async (): Promise<ResolvedAddress[]> => {
  throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
};

let server: TestServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  server = await startTestServer({ clock, resolve, env: { WEBHOOK_ALLOWED_PRIVATE_ORIGINS: receiver.origin, WEBHOOK_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** Settles when the server's worker has recorded an attempt for `handoffId`. */
function recordedFor(handoffId: string): Promise<void> {
  const { events } = server.services.webhookWorker;
  return new Promise((done) => {
    const onRecorded = (id: string) => {
      if (id !== handoffId) return;
      events.off("recorded", onRecorded);
      done();
    };
    events.on("recorded", onRecorded);
  });
}

describe("two workers sharing the database", () => {
  it("send an event once while its attempt is under way, and its retry once, with the same id", async () => {
    const agent = await server.createAgent([TARGET]);
    receiver.secret = (await server.services.webhooks.set(agent.agentId, receiver.url)).secret ?? "";
    receiver.respond = (attempt) => (attempt === 1 ? "hang" : "verify");
    const { audit, logger, webhooks, db } = server.services;
    const second = createWebhookWorker({ audit, clock, logger, webhooks, allowedPrivateOrigins: [receiver.origin], resolve, timeoutMs: 2000 });
    try {
      const response = await fetch(new URL("/api/handoffs", server.url), {
        method: "POST",
        headers: { authorization: `Bearer ${agent.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
      });
      const { id } = (await response.json()) as { id: string };
      const firstRecorded = recordedFor(id);
      await receiver.waitForRequests(1);
      // The server's own worker is waiting on the receiver; the second finds nothing due.
      await second.runOnce();
      expect(receiver.received).toHaveLength(1);
      const row = await db.webhookDelivery.findFirstOrThrow({ where: { handoffId: id } });
      expect([row.status, row.attempts]).toEqual(["pending", 0]);

      // The hung attempt times out and is recorded; its retry, once due, goes once.
      await firstRecorded;
      expect(await db.webhookDelivery.findFirstOrThrow({ where: { handoffId: id } })).toMatchObject({
        attempts: 1,
        lastError: expect.stringMatching(/^timed out/),
      });
      offsetMs += 60_000;
      await Promise.all([second.runOnce(), server.services.webhookWorker.runOnce()]);
      expect(receiver.received.map((r) => [r.headers["webhook-id"], r.status])).toEqual([
        [row.id, "hung"],
        [row.id, 204],
      ]);
      expect(receiver.accepted.map((e) => [e.type, e.data.handoffId])).toEqual([["handoff.created", id]]);
    } finally {
      offsetMs -= 60_000;
      await second.stop();
    }
  });
});

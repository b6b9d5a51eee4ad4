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
/** `webhookDelivery.claimMs` for the 2 s attempt timeout below: 2 × timeout + 30 s. */
const CLAIM_MS = 34_000;

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

async function createHandoff(apiKey: string): Promise<string> {
  const response = await fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
  });
  return ((await response.json()) as { id: string }).id;
}

async function agentWithWebhook() {
  const agent = await server.createAgent([TARGET]);
  receiver.secret = (await server.services.webhooks.set(agent.agentId, receiver.url)).secret ?? "";
  return agent;
}

function secondWorker() {
  const { audit, logger, webhooks } = server.services;
  return createWebhookWorker({ audit, clock, logger, webhooks, allowedPrivateOrigins: [receiver.origin], resolve, timeoutMs: 2000 });
}

describe("two workers sharing the database", () => {
  it("send an event once while its attempt is under way, and its retry once, with the same id", async () => {
    const agent = await agentWithWebhook();
    const earlier = receiver.received.length;
    receiver.respond = (attempt) => (attempt === earlier + 1 ? "hang" : "verify");
    const { db } = server.services;
    const second = secondWorker();
    try {
      const id = await createHandoff(agent.apiKey);
      const firstRecorded = recordedFor(id);
      await receiver.waitForRequests(earlier + 1);
      // The server's own worker is waiting on the receiver; the second finds nothing due.
      await second.runOnce();
      expect(receiver.received).toHaveLength(earlier + 1);
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
      expect(receiver.received.slice(earlier).map((r) => [r.headers["webhook-id"], r.status])).toEqual([
        [row.id, "hung"],
        [row.id, 204],
      ]);
      expect(receiver.accepted.filter((e) => e.data.handoffId === id).map((e) => e.type)).toEqual(["handoff.created"]);
    } finally {
      offsetMs -= 60_000;
      await second.stop();
    }
  });

  it("take a delivery whose claim ran out (its node is gone), and the late attempt does not overwrite the newer outcome", async () => {
    const agent = await agentWithWebhook();
    const earlier = receiver.received.length;
    receiver.respond = (attempt) => (attempt === earlier + 1 ? "hang" : "verify");
    const { db, webhookWorker } = server.services;
    const second = secondWorker();
    try {
      const id = await createHandoff(agent.apiKey);
      await receiver.waitForRequests(earlier + 1);
      // The claim runs out while the first attempt still hangs: the second worker takes it, and delivers.
      offsetMs += CLAIM_MS + 1_000;
      await second.runOnce();
      const delivered = await db.webhookDelivery.findFirstOrThrow({ where: { handoffId: id } });
      expect([delivered.status, delivered.attempts]).toEqual(["delivered", 1]);
      // The first attempt times out afterwards (runOnce waits for it); its outcome must not turn
      // "delivered" back into "pending".
      await webhookWorker.runOnce();
      expect(await db.webhookDelivery.findFirstOrThrow({ where: { handoffId: id } })).toMatchObject({ status: "delivered", attempts: 1, lastError: null });
      expect(receiver.received.slice(earlier).map((r) => r.status)).toEqual(["hung", 204]);
      expect(server.logLines.some((line) => line.includes("outlived its claim"))).toBe(true);
    } finally {
      offsetMs -= CLAIM_MS + 1_000;
      await second.stop();
    }
  });
});

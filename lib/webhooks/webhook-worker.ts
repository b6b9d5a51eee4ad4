/**
 * The webhook delivery worker. Events come from the committed audit log, read past a persisted
 * cursor, so the lifecycle write never waits for it and an event committed just before a crash is
 * still sent after the restart. Each event becomes a persisted delivery, attempted at once and
 * then on the retry schedule; HTTP runs outside every database transaction, a few at a time, and a
 * hanging receiver only ever holds its own delivery.
 *
 * Its database work runs in the single writer's queue (`audit.write`): the SQLite adapter has one
 * connection, and a plain query issued while a lifecycle transaction is open would run inside it
 * (seeing, or being rolled back with, rows that may never commit).
 */
import { EventEmitter } from "node:events";
import { Webhook } from "standardwebhooks";
import type { AuditLog, Tx } from "../audit/audit-log";
import { newId } from "../auth/secrets";
import type { AuditEvent, WebhookDelivery } from "../db/generated/client";
import { parseHandoffRow } from "../handoffs/handoff.store";
import type { Logger } from "../logging/logger";
import type { Clock } from "../time/clock";
import type { AgentWebhookStore } from "./agent-webhook.store";
import { nextAttemptAfter } from "./retry-schedule";
import { type SendOutcome, type SendRequest, sendWebhook } from "./send-webhook";
import { toWebhookEvent, WEBHOOK_AUDIT_ACTIONS } from "./webhook-event";
import { resolveWebhookTarget, type Resolve } from "./webhook-url";

export interface WebhookWorkerDeps {
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  webhooks: AgentWebhookStore;
  allowedPrivateOrigins: readonly string[];
  resolve: Resolve;
  timeoutMs: number;
  /** The HTTP attempt; tests may wrap it. */
  send?: (request: SendRequest, signal: AbortSignal) => Promise<SendOutcome>;
  /**
   * Whether this node delivers now. On several nodes only the sweep's lease holder does: the cursor
   * and the deliveries are shared, and two nodes reading them at once would send each event twice.
   */
  isActive?: () => boolean;
}

const BATCH = 200;
const MAX_IN_FLIGHT = 8;
// One at a time per agent keeps a handoff's events in order while its receiver keeps up.
const MAX_IN_FLIGHT_PER_AGENT = 1;
const CURSOR_ID = 1;

type DeliveryChange = Parameters<Tx["webhookDelivery"]["updateMany"]>[0]["data"];

/** Changes a pending delivery only while its next attempt is still the one read: the claim's compare-and-set. */
function updateIfStill(tx: Tx, delivery: WebhookDelivery, data: DeliveryChange) {
  return tx.webhookDelivery.updateMany({ where: { id: delivery.id, status: "pending", nextAttemptAt: delivery.nextAttemptAt }, data });
}

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const { audit, clock, logger } = deps;
  const send = deps.send ?? ((request, signal) => sendWebhook({ ...request, signal }));
  // A resolver that never answers must not hold the agent's delivery slot past the attempt timeout.
  const resolve: Resolve = (host) =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error("resolution timed out")), deps.timeoutMs);
      deps
        .resolve(host)
        .then(done, fail)
        .finally(() => clearTimeout(timer));
    });
  const inFlight = new Map<string, { agentId: string; done: Promise<void> }>();
  /** An attempt's longest run: the name's resolution and the request, each bounded by the timeout, and a margin. */
  const claimMs = 2 * deps.timeoutMs + 30_000;
  const stopping = new AbortController();
  /** `recorded` after each attempt's outcome is written, for live dashboard pages. */
  const events = new EventEmitter<{ recorded: [handoffId: string] }>();
  let pumping: Promise<void> | null = null;
  let isAgain = false;
  let timer: NodeJS.Timeout | null = null;

  /** Turns audit rows past the cursor into deliveries, and moves the cursor, in one transaction. */
  async function enqueueNew(): Promise<void> {
    const isFullBatch = await audit.write(async (tx) => {
      const cursor = (await tx.webhookCursor.findUnique({ where: { id: CURSOR_ID } }))?.auditSeq ?? 0;
      const head = (await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0;
      if (head <= cursor) return false;
      const rows = await tx.auditEvent.findMany({
        where: { seq: { gt: cursor, lte: head }, action: { in: WEBHOOK_AUDIT_ACTIONS }, handoffId: { not: null } },
        orderBy: { seq: "asc" },
        take: BATCH,
      });
      const upTo = rows.length === BATCH ? rows[rows.length - 1].seq : head;
      await createDeliveries(tx, rows);
      await tx.webhookCursor.upsert({ where: { id: CURSOR_ID }, create: { id: CURSOR_ID, auditSeq: upTo }, update: { auditSeq: upTo } });
      return rows.length === BATCH;
    });
    if (isFullBatch) isAgain = true;
  }

  /** One pending delivery per row that is a webhook event of an agent with a webhook. */
  async function createDeliveries(tx: Tx, rows: AuditEvent[]): Promise<void> {
    const agentIds = [...new Set(rows.map((r) => r.agentId).filter((id): id is string => id !== null))];
    const hooked = new Set((await tx.agentWebhook.findMany({ where: { agentId: { in: agentIds } }, select: { agentId: true } })).map((h) => h.agentId));
    const wanted = rows.filter((r) => r.agentId && hooked.has(r.agentId));
    const found = await tx.handoff.findMany({ where: { id: { in: wanted.map((r) => r.handoffId ?? "") } } });
    const handoffs = new Map(found.map((h) => [h.id, parseHandoffRow(h)]));
    const now = clock.now();
    for (const row of wanted) {
      const handoff = handoffs.get(row.handoffId ?? "");
      const event = handoff ? toWebhookEvent(row, handoff) : null;
      if (!handoff || !event) continue;
      await tx.webhookDelivery.create({
        data: {
          id: newId("msg"),
          agentId: handoff.agentId,
          handoffId: handoff.id,
          auditSeq: row.seq,
          eventType: event.type,
          payload: JSON.stringify(event),
          status: "pending",
          nextAttemptAt: now,
          createdAt: now,
        },
      });
    }
  }

  /** Starts attempts for due deliveries while there are free slots; does not wait for them. */
  async function startDue(): Promise<void> {
    const free = MAX_IN_FLIGHT - inFlight.size;
    if (free <= 0) return;
    const due = await audit.write((tx) =>
      tx.webhookDelivery.findMany({
        where: { status: "pending", nextAttemptAt: { lte: clock.now() }, id: { notIn: [...inFlight.keys()] } },
        orderBy: [{ nextAttemptAt: "asc" }, { auditSeq: "asc" }],
        take: free * 4,
      }),
    );
    const chosen: WebhookDelivery[] = [];
    const ofAgent = new Map<string, number>();
    for (const { agentId } of inFlight.values()) ofAgent.set(agentId, (ofAgent.get(agentId) ?? 0) + 1);
    for (const delivery of due) {
      if (inFlight.size + chosen.length >= MAX_IN_FLIGHT) break;
      const taken = ofAgent.get(delivery.agentId) ?? 0;
      if (taken >= MAX_IN_FLIGHT_PER_AGENT) continue;
      ofAgent.set(delivery.agentId, taken + 1);
      chosen.push(delivery);
    }
    // A delivery another worker took meanwhile is skipped; the next pass (the poll, or an attempt's end) fills its slot.
    for (const delivery of await claim(chosen)) {
      const done = attempt(delivery)
        .catch((error: unknown) =>
          logger.error("webhook attempt could not run", { delivery: delivery.id, error: error instanceof Error ? error.message : "unknown" }),
        )
        .finally(() => {
          inFlight.delete(delivery.id);
          if (!stopping.signal.aborted) void pump();
        });
      inFlight.set(delivery.id, { agentId: delivery.agentId, done });
    }
  }

  /**
   * Takes each delivery for one attempt: its next attempt moves past the attempt's longest run, but
   * only if no one moved it first. Another worker on the same database (a lease handed over while an
   * attempt was under way) then finds it not due, so an event is not sent twice; a node that dies
   * mid-attempt leaves it due again once the claim runs out. Returns the deliveries taken, as claimed.
   */
  async function claim(deliveries: WebhookDelivery[]): Promise<WebhookDelivery[]> {
    if (deliveries.length === 0) return [];
    const until = new Date(clock.now().getTime() + claimMs);
    return audit.write(async (tx) => {
      const taken: WebhookDelivery[] = [];
      for (const d of deliveries) {
        const { count } = await updateIfStill(tx, d, { nextAttemptAt: until });
        if (count === 1) taken.push({ ...d, nextAttemptAt: until });
      }
      return taken;
    });
  }

  /** A claimed delivery whose attempt was cut short by shutdown is due again at once. */
  async function unclaim(delivery: WebhookDelivery): Promise<void> {
    await audit.write((tx) => updateIfStill(tx, delivery, { nextAttemptAt: clock.now() }));
  }

  async function attempt(delivery: WebhookDelivery): Promise<void> {
    const startedAt = clock.now();
    const signing = await deps.webhooks.signing(delivery.agentId);
    if (signing === "none") return record(delivery, startedAt, { ok: false, status: null, error: "webhook removed" }, true);
    // Kept pending: restoring the key (or rotating the secret) lets the retries through.
    if (signing === "unreadable")
      return record(delivery, startedAt, { ok: false, status: null, error: "signing secret unreadable (WEBHOOK_SECRET_KEY changed?)" }, false);
    const target = await resolveWebhookTarget(signing.url, deps.allowedPrivateOrigins, resolve);
    let outcome: SendOutcome;
    if (!target.ok) {
      outcome = {
        ok: false,
        status: null,
        error: target.reason === "unresolvable" ? "name did not resolve" : `address refused (${target.reason.replace(/_/g, " ")})`,
      };
    } else {
      // Standard Webhooks: the id stays the same on every retry; the timestamp is this attempt's.
      const headers = {
        "content-type": "application/json",
        "user-agent": "Baton-Webhooks/1",
        "webhook-id": delivery.id,
        "webhook-timestamp": String(Math.floor(startedAt.getTime() / 1000)),
        // During a secret's rotation overlap both signatures go, space-separated; either verifies.
        "webhook-signature": signing.secrets.map((secret) => new Webhook(secret).sign(delivery.id, startedAt, delivery.payload)).join(" "),
      };
      outcome = await send({ url: target.url, address: target.address, headers, body: delivery.payload, timeoutMs: deps.timeoutMs }, stopping.signal);
    }
    // Shutting down mid-attempt: leave it pending, the next start tries again (same webhook-id).
    if (stopping.signal.aborted) return unclaim(delivery);
    if (!outcome.ok)
      logger.warn("webhook attempt failed", {
        delivery: delivery.id,
        agent: delivery.agentId,
        handoff: delivery.handoffId,
        attempt: delivery.attempts + 1,
        error: outcome.error,
      });
    await record(delivery, startedAt, outcome, false);
  }

  async function record(delivery: WebhookDelivery, at: Date, outcome: SendOutcome, isFinal: boolean): Promise<void> {
    const attempts = delivery.attempts + 1;
    const next = outcome.ok || isFinal ? null : nextAttemptAfter(attempts, at);
    // Only while the claim holds: an attempt that outlived it (another worker took the delivery since)
    // must not overwrite that attempt's outcome, nor turn a delivered event back into a pending one.
    const { count } = await audit.write((tx) =>
      updateIfStill(tx, delivery, {
        attempts,
        lastAttemptAt: at,
        lastStatusCode: outcome.status,
        lastError: outcome.ok ? null : outcome.error,
        status: outcome.ok ? "delivered" : next ? "pending" : "failed",
        nextAttemptAt: next,
        ...(outcome.ok ? { deliveredAt: clock.now() } : {}),
      }),
    );
    if (count !== 1) {
      logger.warn("webhook attempt outlived its claim; its outcome is not recorded", { delivery: delivery.id, ok: outcome.ok });
      return;
    }
    events.emit("recorded", delivery.handoffId);
  }

  /** One pass (enqueue, then start what is due); concurrent calls share it. */
  function pump(): Promise<void> {
    if (deps.isActive && !deps.isActive()) return Promise.resolve();
    if (pumping) {
      isAgain = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        isAgain = false;
        await enqueueNew();
        await startDue();
      } while (isAgain && !stopping.signal.aborted);
    })()
      .catch((error: unknown) => logger.error("webhook worker pass failed", { error: error instanceof Error ? error.message : "unknown" }))
      .finally(() => {
        pumping = null;
      });
    return pumping;
  }

  /** Runs passes until nothing is in flight: what is due now has been attempted and recorded. */
  async function runOnce(): Promise<void> {
    await pump();
    while (inFlight.size > 0) {
      await Promise.all([...inFlight.values()].map((f) => f.done));
      await pump();
    }
  }

  const onAppended = () => void pump();

  /** Wakes on every committed audit row, and polls for retries coming due. */
  function start(pollMs = 1000): void {
    audit.events.on("appended", onAppended);
    timer = setInterval(() => void pump(), pollMs);
    timer.unref();
    void pump();
  }

  /** Stops waking, aborts attempts in flight (they stay pending) and waits for them to settle. */
  async function stop(): Promise<void> {
    audit.events.off("appended", onAppended);
    if (timer) clearInterval(timer);
    stopping.abort();
    await Promise.allSettled([pumping, ...[...inFlight.values()].map((f) => f.done)]);
  }

  return { events, start, stop, runOnce, pump };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;

/** A handoff's webhook deliveries for its dashboard page: each event, its attempts and outcome. */
import type { Db } from "../db/open-database";
import { MAX_ATTEMPTS } from "../webhooks/retry-schedule";

export interface WebhookDeliveryView {
  /** The `webhook-id` the receiver saw. */
  id: string;
  eventType: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  /** Fixed safe words ("HTTP 503", "timed out after 10 s"), never a response body. */
  lastError: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const asStatus = (s: string): WebhookDeliveryView["status"] => (s === "delivered" || s === "failed" ? s : "pending");

export async function queryWebhookDeliveries(db: Db, handoffId: string): Promise<WebhookDeliveryView[]> {
  const rows = await db.webhookDelivery.findMany({ where: { handoffId }, orderBy: { auditSeq: "asc" }, take: 200 });
  return rows.map((r) => ({
    id: r.id,
    eventType: r.eventType,
    status: asStatus(r.status),
    attempts: r.attempts,
    maxAttempts: MAX_ATTEMPTS,
    createdAt: r.createdAt.toISOString(),
    lastAttemptAt: iso(r.lastAttemptAt),
    nextAttemptAt: iso(r.nextAttemptAt),
    deliveredAt: iso(r.deliveredAt),
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
  }));
}

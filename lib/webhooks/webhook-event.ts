/**
 * Turns a committed audit row (and its handoff) into the webhook event a backend receives, or
 * null for rows that are not webhook events. Pure: built from named fields only, so nothing the
 * server holds beyond metadata can slip into a payload.
 */
import { z } from "zod";
import type { AuditEvent } from "../db/generated/client";
import type { HandoffRow } from "../handoffs/handoff.store";
import { HandoffStates, type HandoffState } from "../lifecycle/states";
import type { WebhookEvent, WebhookEventType } from "../protocol/webhook-event";

const typeForAction: Record<string, WebhookEventType> = {
  "handoff.created": "handoff.created",
  "handoff.opened": "handoff.opened",
  "handoff.approved": "handoff.approved",
  "handoff.live": "handoff.live",
  "handoff.completed": "handoff.completed",
  "handoff.denied": "handoff.denied",
  "handoff.expired": "handoff.expired",
  "handoff.cancelled": "handoff.cancelled",
  "handoff.failed": "handoff.failed",
  "link.reuse_detected": "handoff.reuse_detected",
  "navigation.blocked": "handoff.navigation_blocked",
};

/** The audit actions the worker reads. */
export const WEBHOOK_AUDIT_ACTIONS = Object.keys(typeForAction);

const Details = z.looseObject({
  to: z.enum(HandoffStates).optional(),
  attempts: z.number().int().optional(),
  blockedOrigin: z.string().optional(),
  isNavigation: z.boolean().optional(),
});

function parsed<T>(schema: z.ZodType<T>, text: string | null): T | null {
  if (!text) return null;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export function toWebhookEvent(audit: AuditEvent, handoff: HandoffRow): WebhookEvent | null {
  const type = typeForAction[audit.action];
  if (!type) return null;
  const details = parsed(Details, audit.details) ?? {};
  // Subresources a page pulls in are audited too; only a refused navigation is worth a call.
  if (type === "handoff.navigation_blocked" && details.isNavigation !== true) return null;
  const at = audit.at;
  // The row is read a moment after the event: show only the times reached by then.
  const upTo = (d: Date | null) => (d && d.getTime() <= at.getTime() ? d.toISOString() : null);
  const state: HandoffState = type === "handoff.created" ? "pending" : (details.to ?? handoff.state);
  const isEnd = ["handoff.completed", "handoff.denied", "handoff.expired", "handoff.cancelled", "handoff.failed"].includes(type);
  return {
    type,
    timestamp: at.toISOString(),
    data: {
      handoffId: handoff.id,
      agentId: handoff.agentId,
      endUserRef: handoff.endUserRef,
      targetOrigin: handoff.targetOrigin,
      state,
      endReason: isEnd ? (audit.reason ?? handoff.endReason) : null,
      createdAt: handoff.createdAt.toISOString(),
      expiresAt: handoff.expiresAt.toISOString(),
      openedAt: upTo(handoff.openedAt),
      approvedAt: upTo(handoff.approvedAt),
      liveAt: upTo(handoff.liveAt),
      completedAt: upTo(handoff.completedAt),
      endedAt: upTo(handoff.endedAt),
      ...(type === "handoff.completed" ? { cookies: (handoff.cookieMeta ?? []).map((c) => ({ name: c.name, domain: c.domain })) } : {}),
      ...(type === "handoff.reuse_detected" ? { reuse: { reason: audit.reason ?? "unknown", attempts: details.attempts ?? handoff.reuseAttempts } } : {}),
      ...(type === "handoff.navigation_blocked" ? { blocked: { origin: details.blockedOrigin ?? "unknown", reason: audit.reason ?? "unknown" } } : {}),
    },
  };
}

/**
 * The body of a Baton webhook: what a backend receives, signed per Standard Webhooks. Metadata
 * only — never a link, token, key or cookie value. A server webhook cannot carry a usable link at
 * all: the link's key is made by the worker and never reaches the server (deliver links with the
 * SDK's `onLink` instead).
 */
import { z } from "zod";
import { HandoffStates } from "../lifecycle/states";

export const WebhookEventTypes = [
  "handoff.created",
  "handoff.opened",
  "handoff.approved",
  "handoff.live",
  "handoff.completed",
  "handoff.denied",
  "handoff.expired",
  "handoff.cancelled",
  "handoff.failed",
  "handoff.reuse_detected",
  "handoff.navigation_blocked",
] as const;
export type WebhookEventType = (typeof WebhookEventTypes)[number];

const Iso = z.iso.datetime();

export const WebhookEventSchema = z.strictObject({
  type: z.enum(WebhookEventTypes),
  /** When the event happened (the audit row's time), ISO 8601 UTC. */
  timestamp: Iso,
  data: z.strictObject({
    handoffId: z.string(),
    agentId: z.string(),
    /** The agent's own reference for the end user, if it gave one. */
    endUserRef: z.string().nullable(),
    targetOrigin: z.string(),
    /** The handoff's state right after the event. */
    state: z.enum(HandoffStates),
    endReason: z.string().nullable(),
    createdAt: Iso,
    expiresAt: Iso,
    /** Lifecycle times reached by the time of the event (null until then). */
    openedAt: Iso.nullable(),
    approvedAt: Iso.nullable(),
    liveAt: Iso.nullable(),
    completedAt: Iso.nullable(),
    endedAt: Iso.nullable(),
    /** `handoff.completed` only: what was handed over, by name and domain. */
    cookies: z.array(z.strictObject({ name: z.string(), domain: z.string() })).optional(),
    /** `handoff.reuse_detected` only. */
    reuse: z.strictObject({ reason: z.string(), attempts: z.number().int() }).optional(),
    /** `handoff.navigation_blocked` only: the refused origin (never its path). */
    blocked: z.strictObject({ origin: z.string(), reason: z.string() }).optional(),
  }),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/**
 * One handoff as an operator inspects it: its summary, the audit timeline with the time each step
 * took, the device family, the cookies handed over (names, domains, flags — the server never has
 * values) and the policy decisions taken in its browser.
 */
import { z } from "zod";
import type { Db } from "../db/open-database";
import type { HandoffSummary } from "../protocol/operator-events";
import { namesFor } from "./audit.query";
import { classifyBlocked, type BlockedRequest } from "./blocked-requests";
import { parseHandoffRow } from "../handoffs/handoff.store";
import { toHandoffSummary } from "./handoff-summary";
import { queryWebhookDeliveries, type WebhookDeliveryView } from "./webhook-deliveries.query";
import { neutralizeText } from "../text/neutralize-text";

export interface TimelineEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  decision: string;
  reason: string | null;
  operatorId: string | null;
  /** The operator's email, when an operator acted: people are shown by name, ids on hover. */
  operatorEmail: string | null;
  /** Since the previous event of this handoff. */
  sincePreviousMs: number | null;
  /** Since the handoff was created. */
  sinceStartMs: number;
  details: Record<string, unknown>;
}

export interface HandedOverCookie {
  name: string;
  domain: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: string;
  expires: number;
}

export interface HandoffDetail {
  summary: HandoffSummary;
  reason: string;
  loginUrlOrigin: string;
  identityProviders: string[];
  handOverSites: string[];
  successKind: string;
  expiresAt: string;
  confirmationCodeHint: string;
  device: string | null;
  /** Only when the operator enabled RECORD_DEVICE_IP. */
  deviceIp: string | null;
  reuseAttempts: number;
  cookies: HandedOverCookie[];
  blocked: BlockedRequest[];
  timeline: TimelineEvent[];
  /** Its events sent to the agent's webhook, with attempts and outcome (empty without a webhook). */
  webhookDeliveries: WebhookDeliveryView[];
}

const Details = z.record(z.string(), z.unknown());

function parseJson<T>(text: string | null, schema: z.ZodType<T>, fallback: T): T {
  if (!text) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export const HANDOFF_ID_PATTERN = /^hnd_[A-Za-z0-9_-]{16}$/;

export async function queryHandoffDetail(db: Db, id: string): Promise<HandoffDetail | null> {
  if (!HANDOFF_ID_PATTERN.test(id)) return null;
  const found = await db.handoff.findUnique({ where: { id }, include: { agent: { select: { name: true } } } });
  if (!found) return null;
  const row = parseHandoffRow(found);
  const events = await db.auditEvent.findMany({ where: { handoffId: id }, orderBy: { seq: "asc" }, take: 500 });
  const names = await namesFor(db, events);
  const start = row.createdAt.getTime();
  let previous: number | null = null;
  const timeline: TimelineEvent[] = events.map((e) => {
    const at = e.at.getTime();
    const event: TimelineEvent = {
      seq: e.seq,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      decision: e.decision,
      reason: e.reason === null ? null : neutralizeText(e.reason),
      operatorId: e.operatorId,
      operatorEmail: e.operatorId ? (names.operators.get(e.operatorId) ?? null) : null,
      sincePreviousMs: previous === null ? null : at - previous,
      sinceStartMs: at - start,
      details: parseJson(neutralizeText(e.details), Details, {}),
    };
    previous = at;
    return event;
  });
  const blocked = timeline
    .filter((e) => e.action === "navigation.blocked")
    .map((e) => classifyBlocked(e.at, e.reason, e.details))
    .map((b) => ({ ...b, origin: neutralizeText(b.origin) }));
  return {
    summary: toHandoffSummary(row, row.agent.name),
    reason: neutralizeText(row.reason, true),
    loginUrlOrigin: row.targetOrigin,
    identityProviders: row.identityProviders.map((site) => neutralizeText(site)),
    handOverSites: row.handOverSites.map((site) => neutralizeText(site)),
    successKind: row.successKind,
    expiresAt: row.expiresAt.toISOString(),
    // The code is for the end user and the agent; the operator sees enough to match a report.
    confirmationCodeHint: `${row.confirmCode.slice(0, 2)}••-••••`,
    device: row.deviceSummary === null ? null : neutralizeText(row.deviceSummary),
    deviceIp: row.deviceIp,
    reuseAttempts: row.reuseAttempts,
    cookies: (row.cookieMeta ?? []).map((c) => ({
      name: c.name,
      domain: c.domain,
      path: c.path,
      expires: c.expires,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite,
    })),
    blocked,
    timeline,
    webhookDeliveries: await queryWebhookDeliveries(db, id),
  };
}

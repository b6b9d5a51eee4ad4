/**
 * An agent's webhook: its URL and its signing secret, which is shown once when made (on the first
 * URL, or on rotation) and kept only sealed. Every change is audited with the URL's origin only:
 * a webhook URL often carries a token of its own in its path.
 */
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db/open-database";
import { AppError } from "../errors/app-error";
import type { Clock } from "../time/clock";
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from "./webhook-secret";
import { resolveWebhookTarget, type Resolve, WebhookUrlRefusals } from "./webhook-url";

export interface AgentWebhookDeps {
  db: Db;
  audit: AuditLog;
  clock: Clock;
  sealKey: Buffer;
  allowedPrivateOrigins: readonly string[];
  resolve: Resolve;
}

export interface WebhookSigning {
  url: string;
  /** The current secret first; during a rotation's overlap also the previous one. */
  secrets: string[];
}

export function createAgentWebhookStore(deps: AgentWebhookDeps) {
  const { db, audit, clock, sealKey } = deps;
  const actor = (operatorId: string | null) => (operatorId ? ("operator" as const) : ("system" as const));

  /** Refuses a URL Baton would not send to, naming why (never echoing the URL). */
  async function checkedUrl(raw: string): Promise<URL> {
    const target = await resolveWebhookTarget(raw.trim(), deps.allowedPrivateOrigins, deps.resolve);
    if (!target.ok)
      throw new AppError(
        "WEBHOOK_URL_REFUSED",
        `webhook url ${target.reason}`,
        { reason: target.reason },
        `Webhook URL refused: it ${WebhookUrlRefusals[target.reason]}.`,
      );
    return target.url;
  }

  async function activeAgent(agentId: string) {
    const agent = await db.agent.findUnique({ where: { id: agentId }, include: { webhook: true } });
    if (!agent || agent.revokedAt) throw new AppError("NOT_FOUND", "no such active agent");
    return agent;
  }

  /**
   * Sets or changes the URL. A first URL makes a secret, returned here and never again; changing
   * the URL keeps the secret.
   */
  async function set(agentId: string, raw: string, operatorId: string | null = null): Promise<{ secret: string | null; origin: string }> {
    const url = await checkedUrl(raw);
    const agent = await activeAgent(agentId);
    const now = clock.now();
    const secret = agent.webhook ? null : newWebhookSecret();
    await audit.write(async (tx, append) => {
      if (secret) {
        await tx.agentWebhook.create({
          data: { agentId, url: url.href, sealedSecret: sealWebhookSecret(sealKey, agentId, secret), createdAt: now, updatedAt: now },
        });
      } else {
        await tx.agentWebhook.update({ where: { agentId }, data: { url: url.href, updatedAt: now } });
      }
      await append({
        actor: actor(operatorId),
        operatorId,
        action: "agent.webhook_set",
        decision: "allow",
        agentId,
        details: { origin: url.origin, isNewSecret: secret !== null },
      });
    });
    return { secret, origin: url.origin };
  }

  async function clear(agentId: string, operatorId: string | null = null): Promise<void> {
    await activeAgent(agentId);
    const removed = await audit.write(async (tx, append) => {
      const { count } = await tx.agentWebhook.deleteMany({ where: { agentId } });
      if (count > 0) await append({ actor: actor(operatorId), operatorId, action: "agent.webhook_cleared", decision: "allow", agentId });
      return count > 0;
    });
    if (!removed) throw new AppError("NOT_FOUND", "agent has no webhook", undefined, "This agent has no webhook.");
  }

  /**
   * A new secret, returned once. The old one keeps signing beside it for `overlapSeconds` (each
   * delivery then carries both signatures, as Standard Webhooks allows), so the receiver can switch
   * without refusing anything; 0 stops it at once.
   */
  async function rotateSecret(
    agentId: string,
    overlapSeconds = 3600,
    operatorId: string | null = null,
  ): Promise<{ secret: string; previousUntil: Date | null }> {
    const agent = await activeAgent(agentId);
    if (!agent.webhook) throw new AppError("NOT_FOUND", "agent has no webhook", undefined, "This agent has no webhook.");
    const secret = newWebhookSecret();
    const now = clock.now();
    const previousUntil = overlapSeconds > 0 ? new Date(now.getTime() + overlapSeconds * 1000) : null;
    await audit.write(async (tx, append) => {
      await tx.agentWebhook.update({
        where: { agentId },
        data: {
          sealedSecret: sealWebhookSecret(sealKey, agentId, secret),
          sealedPreviousSecret: previousUntil ? agent.webhook!.sealedSecret : null,
          previousUntil,
          updatedAt: now,
        },
      });
      await append({ actor: actor(operatorId), operatorId, action: "agent.webhook_secret_rotated", decision: "allow", agentId, details: { overlapSeconds } });
    });
    return { secret, previousUntil };
  }

  /**
   * URL and the secrets to sign a delivery with (the current one first, then the previous one
   * while its overlap lasts); "none" when the agent has no webhook; "unreadable" when the sealed
   * secret does not open with this server's key (WEBHOOK_SECRET_KEY changed, or the row was edited).
   */
  async function signing(agentId: string): Promise<WebhookSigning | "none" | "unreadable"> {
    const row = await db.agentWebhook.findUnique({ where: { agentId } });
    if (!row) return "none";
    const secret = openWebhookSecret(sealKey, agentId, row.sealedSecret);
    if (!secret) return "unreadable";
    const isOverlapping = row.sealedPreviousSecret && row.previousUntil && row.previousUntil > clock.now();
    const previous = isOverlapping ? openWebhookSecret(sealKey, agentId, row.sealedPreviousSecret!) : null;
    return { url: row.url, secrets: previous ? [secret, previous] : [secret] };
  }

  /** Every agent's webhook URL, for the dashboard (never a secret). */
  async function urls(): Promise<Map<string, string>> {
    const rows = await db.agentWebhook.findMany({ select: { agentId: true, url: true } });
    return new Map(rows.map((r) => [r.agentId, r.url]));
  }

  return { checkedUrl, set, clear, rotateSecret, signing, urls };
}

export type AgentWebhookStore = ReturnType<typeof createAgentWebhookStore>;

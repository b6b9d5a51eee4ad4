/**
 * The CLI's webhook commands, kept here so lib/cli/main.ts only dispatches:
 *
 *   agent create … --webhook <url>                 the secret is printed once, after the API key
 *   agent webhook <agentId> --url <url>            set or change (a first URL prints its secret once)
 *   agent webhook <agentId> --clear                stop sending
 *   agent webhook <agentId> --rotate-secret [--overlap <s>]   a new secret, printed once; the old one
 *                                                  keeps signing beside it for the overlap (default 1 h)
 */
import { z } from "zod";
import type { AuditLog } from "../audit/audit-log";
import type { Config } from "../config/config";
import type { Db } from "../db/open-database";
import { AppError } from "../errors/app-error";
import type { Clock } from "../time/clock";
import { createAgentWebhookStore } from "./agent-webhook.store";
import { resolveWebhookSealKey } from "./webhook-secret";
import { systemResolve } from "./webhook-url";

export interface WebhookFlags {
  url?: string;
  clear?: boolean;
  "rotate-secret"?: boolean;
  overlap?: string;
}

type Out = (line: string) => void;

const Overlap = z.coerce
  .number()
  .int()
  .min(0)
  .max(7 * 86_400)
  .default(3600);

const printSecret = (out: Out, secret: string) => {
  out("Its webhook signing secret, shown only this once (verify deliveries with it):");
  out(secret);
};

export function createWebhookCli(db: Db, audit: AuditLog, clock: Clock, config: Config) {
  const sealKey = resolveWebhookSealKey(config.webhooks.secretKey, config.dataDir);
  const store = createAgentWebhookStore({ db, audit, clock, sealKey, allowedPrivateOrigins: config.webhooks.allowedPrivateOrigins, resolve: systemResolve });

  /** Checks a URL before `agent create` makes anything, so a refused URL leaves no agent behind. */
  const check = (url: string) => store.checkedUrl(url);

  async function setOnCreate(agentId: string, url: string, out: Out): Promise<void> {
    const { secret, origin } = await store.set(agentId, url);
    out(`Webhook set: events go to ${origin}.`);
    if (secret) printSecret(out, secret);
  }

  async function run(agentId: string, flags: WebhookFlags, out: Out): Promise<void> {
    const chosen = [flags.url !== undefined, flags.clear === true, flags["rotate-secret"] === true].filter(Boolean).length;
    if (chosen !== 1) throw new AppError("BAD_REQUEST", "webhook flags", undefined, "agent webhook needs exactly one of --url <url>, --clear, --rotate-secret");
    if (flags.url !== undefined) return setOnCreate(agentId, flags.url, out);
    if (flags.clear) {
      await store.clear(agentId);
      out(`Webhook of ${agentId} removed: no more events are sent, pending deliveries are dropped.`);
      return;
    }
    const overlap = Overlap.safeParse(flags.overlap);
    if (!overlap.success) throw new AppError("BAD_REQUEST", "overlap", undefined, "--overlap must be whole seconds from 0 to 604800");
    const rotated = await store.rotateSecret(agentId, overlap.data);
    out(
      `New webhook secret for ${agentId}; ${rotated.previousUntil ? `the old one also signs until ${rotated.previousUntil.toISOString()}` : "the old one no longer signs"}.`,
    );
    printSecret(out, rotated.secret);
  }

  return { check, setOnCreate, run };
}

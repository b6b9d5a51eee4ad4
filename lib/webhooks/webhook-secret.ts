/**
 * Webhook signing secrets. Unlike an API key, which the server only has to recognise (a hash is
 * enough), a signing secret must be usable by the server for every delivery, so it is kept — but
 * sealed with AES-256-GCM under a key that lives outside the database (WEBHOOK_SECRET_KEY, or
 * data/webhook-key beside it), and bound to its agent's id so a sealed value cannot be moved to
 * another agent. A copy of the database alone reveals no secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** 256 random bits in the Standard Webhooks form: `whsec_` + standard base64. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The sealing key from config, or a random one made once and kept beside the database (0600). */
export function resolveWebhookSealKey(configured: string | undefined, dataDir: string | null): Buffer {
  if (configured) return Buffer.from(configured, "base64url");
  if (dataDir === null) throw new Error("WEBHOOK_SECRET_KEY: required when the database is shared (PostgreSQL)");
  const file = path.join(dataDir, "webhook-key");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  if (key.length !== 32) throw new Error(`${file}: expected 32 bytes in base64url`);
  return key;
}

const VERSION = "v1";

export function sealWebhookSecret(key: Buffer, agentId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(agentId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** The secret, or null when the value was not sealed for this agent with this key. */
export function openWebhookSecret(key: Buffer, agentId: string, sealed: string): string | null {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) return null;
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== 12 || body.length <= 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(agentId, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    // A wrong key, another agent's value or an edited row: all mean "no usable secret".
    return null;
  }
}

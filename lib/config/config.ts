/**
 * Configuration: one schema, parsed once at start from the environment, failing with every
 * problem listed. The result is passed in to whatever needs it; nothing reads `process.env` deep.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { dialectOf } from "../db/dialect";
import { normalizeOrigin } from "../policy/target";

/** A comma-separated list of exact origins (scheme://host[:port]), each checked. */
const OriginList = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine((o) => normalizeOrigin(o) !== null && /^https?:\/\/[^/?#]+\/?$/i.test(o), "each entry must be an origin such as http://127.0.0.1:8080"),
    ),
  )
  .transform((origins) => origins.map((o) => normalizeOrigin(o) ?? o));

/** A file the server can read at start (a TLS certificate or key); only the path is kept here. */
const ReadableFile = z
  .string()
  .min(1)
  .refine((file) => {
    try {
      accessSync(file, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }, "file not found or not readable");
import { SafeText } from "../text/safe-text";

const Bool = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** Where phones reach the server, e.g. https://baton.example.com. Default: http://HOST:PORT. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** `file:` for the embedded SQLite file; `postgresql://` for a PostgreSQL server shared by several nodes. */
    DATABASE_URL: z
      .string()
      .refine(
        (url) => /^file:.+/.test(url) || (dialectOf(url) === "postgresql" && URL.canParse(url) && new URL(url).hostname !== ""),
        "must be a SQLite file URL such as file:./data/baton.db, or postgresql://user:password@host:5432/baton",
      )
      .default("file:./data/baton.db"),
    /** Redis for several nodes (`redis://host:6379`): Socket.IO across nodes, shared limits. Unset: one node. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /**
     * iron-session passwords as a rotation map, newest id first used to seal:
     * `{"2":"<new, ≥32 chars>","1":"<old>"}`. A single password is accepted too.
     * Unset: a random one is made and kept in data/session-secret (fine for one machine).
     */
    SESSION_SECRET: z.string().optional(),
    LINK_TTL_SECONDS: z.coerce.number().int().min(30).max(600).default(600),
    SESSION_MAX_SECONDS: z.coerce.number().int().min(60).max(7200).default(900),
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(2),
    RATE_CREATES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    RATE_CLAIMS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    RATE_INPUT_PER_SECOND: z.coerce.number().int().min(10).default(400),
    /** Who runs this Baton, shown to end users on the consent screen. */
    /** Shown on every consent screen: the same text rules as an agent's name. */
    OPERATOR_NAME: SafeText(80).default("Baton"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Trust X-Forwarded-For for client addresses (only behind your own proxy). */
    TRUST_PROXY: Bool.default(false),
    /** Keep the IP address a link was claimed from, for operators (off: only browser and OS family). */
    RECORD_DEVICE_IP: Bool.default(false),
    /** Webhook origins that may be private, loopback or plain http (exact origins; default none). */
    WEBHOOK_ALLOWED_PRIVATE_ORIGINS: OriginList.default([]),
    /** 32 random bytes (base64url) sealing webhook secrets at rest. Unset: kept in data/webhook-key. */
    WEBHOOK_SECRET_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "must be 32 random bytes in base64url (43 characters)")
      .optional(),
    /** How long one webhook attempt may take before it counts as failed. */
    WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(30).default(10),
    /** Serve https directly (PEM files): phones need a secure context, and not everyone has a proxy. */
    TLS_CERT_FILE: ReadableFile.optional(),
    TLS_KEY_FILE: ReadableFile.optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
      const missing = env.TLS_CERT_FILE ? "TLS_KEY_FILE" : "TLS_CERT_FILE";
      ctx.addIssue({ code: "custom", path: [missing], message: "TLS_CERT_FILE and TLS_KEY_FILE are set together or not at all" });
    }
    if (dialectOf(env.DATABASE_URL) === "postgresql") {
      // Secrets made on first start are kept beside a SQLite file, one machine's own; nodes sharing a
      // PostgreSQL database must all seal and open the same cookies and webhook secrets.
      const why = "required with PostgreSQL: every node must use the same one, so it cannot be made on each machine";
      if (!env.SESSION_SECRET) ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: why });
      if (!env.WEBHOOK_SECRET_KEY) ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET_KEY"], message: why });
    }
    if (env.REDIS_URL) {
      if (dialectOf(env.DATABASE_URL) !== "postgresql") {
        ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "several nodes need a PostgreSQL DATABASE_URL (a SQLite file serves one node)" });
      }
      // Every node checks the same Origin; HOST:PORT differs from node to node.
      if (!env.PUBLIC_URL)
        ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "required with REDIS_URL: every node must check the same origin, the one phones reach" });
    }
    if (env.TLS_CERT_FILE && env.PUBLIC_URL?.startsWith("http:")) {
      ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "must be https when Baton serves TLS itself" });
    }
  })
  .transform((env) => {
    const tls = env.TLS_CERT_FILE && env.TLS_KEY_FILE ? { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE } : null;
    const scheme = tls ? "https" : "http";
    const publicUrl = new URL(env.PUBLIC_URL ?? `${scheme}://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`);
    return {
      env: env.NODE_ENV,
      port: env.PORT,
      host: env.HOST,
      publicOrigin: publicUrl.origin,
      /** Cookies get `Secure` and the `__Host-` prefix only when served over https. */
      isHttps: publicUrl.protocol === "https:",
      databaseUrl: env.DATABASE_URL,
      redisUrl: env.REDIS_URL ?? null,
      /** Where secrets made on first start are kept: the SQLite file's folder; null on PostgreSQL (they are required). */
      dataDir: dialectOf(env.DATABASE_URL) === "sqlite" ? path.dirname(path.resolve(env.DATABASE_URL.replace(/^file:/, ""))) : null,
      sessionSecret: env.SESSION_SECRET,
      linkTtlSeconds: env.LINK_TTL_SECONDS,
      sessionMaxSeconds: env.SESSION_MAX_SECONDS,
      sessionIdleSeconds: env.SESSION_IDLE_SECONDS,
      pollIntervalSeconds: env.POLL_INTERVAL_SECONDS,
      rates: {
        createsPerMinute: env.RATE_CREATES_PER_MINUTE,
        claimsPerMinute: env.RATE_CLAIMS_PER_MINUTE,
        inputPerSecond: env.RATE_INPUT_PER_SECOND,
      },
      operatorName: env.OPERATOR_NAME,
      logLevel: env.LOG_LEVEL,
      trustProxy: env.TRUST_PROXY,
      recordDeviceIp: env.RECORD_DEVICE_IP,
      /** Certificate and key files when Baton serves https itself; null for plain http. */
      tls,
      webhooks: {
        allowedPrivateOrigins: env.WEBHOOK_ALLOWED_PRIVATE_ORIGINS,
        secretKey: env.WEBHOOK_SECRET_KEY,
        timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
      },
    };
  });

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Baton cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once. Throws a ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    // Name the variable and what is wrong, never its value: it may be a secret.
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
  }
  return result.data;
}

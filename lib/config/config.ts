/**
 * Configuration: one schema, parsed once at start from the environment, failing with every
 * problem listed. The result is passed in to whatever needs it; nothing reads `process.env` deep.
 */
import { z } from "zod";
import { SafeText } from "../text/safe-text";

const Bool = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** Where phones reach the server, e.g. https://baton.example.com. Default: http://HOST:PORT. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^file:.+/, "must be a SQLite file URL such as file:./data/baton.db")
      .default("file:./data/baton.db"),
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
  })
  .transform((env) => {
    const publicUrl = new URL(env.PUBLIC_URL ?? `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`);
    return {
      env: env.NODE_ENV,
      port: env.PORT,
      host: env.HOST,
      publicOrigin: publicUrl.origin,
      /** Cookies get `Secure` and the `__Host-` prefix only when served over https. */
      isHttps: publicUrl.protocol === "https:",
      databaseUrl: env.DATABASE_URL,
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

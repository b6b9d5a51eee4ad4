/**
 * One logger, injected. It redacts itself: fields whose names look secret are replaced, and
 * strings that look like Baton tokens or keys are masked, so a careless call cannot leak them.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const secretField = /pass|secret|token|key|cookie|otp|code|value|authorization|seal/i;
const secretText = [/bat_[A-Za-z0-9_-]{8,}/g, /whsec_[A-Za-z0-9+/=]{8,}/g, /\/h\/[A-Za-z0-9_-]{20,}/g, /#k=[A-Za-z0-9_-]+/g];

export function redact(text: string): string {
  return secretText.reduce((t, re) => t.replace(re, (m) => `${m.slice(0, 6)}…[redacted]`), text);
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
    if (order[lvl] < order[level]) return;
    const safe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields ?? {})) {
      safe[k] = secretField.test(k) ? "[redacted]" : typeof v === "string" ? redact(v) : v;
    }
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: redact(msg), ...safe }));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

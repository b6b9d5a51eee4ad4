/** Small JSON helpers for Node's http: bounded body reading, zod parsing, one error mapping. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type z } from "zod";
import { isDatabaseBusy } from "../db/busy";
import { AppError, isAppError } from "../errors/app-error";
import type { Logger } from "../logging/logger";
import { findIllFormed } from "../text/find-ill-formed";

export const MAX_JSON_BODY = 16 * 1024;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

export async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>, limit = MAX_JSON_BODY): Promise<T> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "not json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError("PAYLOAD_TOO_LARGE", `body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  let text: string;
  try {
    // Not Buffer#toString: it would turn invalid UTF-8 into U+FFFD silently.
    text = STRICT_UTF8.decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("MALFORMED_ENCODING", "body is not UTF-8", undefined, "The request body is not valid UTF-8.");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text || "{}");
  } catch {
    throw new AppError("BAD_REQUEST", "body is not JSON", undefined, "The request body is not valid JSON.");
  }
  // `"\ud800"` is valid JSON but no text: refuse it here, for every field of every route at once.
  const illFormed = findIllFormed(raw);
  if (illFormed)
    throw new AppError(
      "MALFORMED_ENCODING",
      "lone surrogate in body",
      { path: illFormed },
      `Invalid request: ${illFormed}: must be well-formed Unicode (no lone surrogates).`,
    );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Name the failing paths (never echo the values: they may be secrets).
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
    throw new AppError("BAD_REQUEST", "schema", { issues }, `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A busy database is a matter of turns of a few milliseconds once a stuck holder lets go. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

export function sendError(res: ServerResponse, error: unknown, logger: Logger, context: string): void {
  const message = error instanceof Error ? error.message : String(error);
  const appError = isAppError(error) ? error : new AppError(isDatabaseBusy(error) ? "BUSY" : "INTERNAL", message);
  if (appError.code === "BUSY") logger.warn("request refused: the database is busy", { context, error: appError.message });
  else if (appError.status >= 500) logger.error("request failed", { context, error: appError.message });
  else logger.debug("request refused", { context, code: appError.code });
  // A refusal that knows its wait (an operator lockout) says so; rate-limit windows are a minute.
  const wait = appError.details?.retryAfterSeconds;
  const headers: Record<string, string> =
    appError.status === 429
      ? { "retry-after": String(typeof wait === "number" ? wait : 60) }
      : appError.code === "BUSY"
        ? { "retry-after": String(BUSY_RETRY_AFTER_SECONDS) }
        : {};
  if (!res.headersSent) sendJson(res, appError.status, appError.toBody(), headers);
  else res.end();
}

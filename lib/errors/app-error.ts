/**
 * One error type for every refusal Baton makes. Each code maps once to an HTTP status and a
 * user-facing message; `internal` detail is for logs and must never carry a secret. This table is
 * the error contract's list of codes (`lib/protocol/errors.ts`): a client's types come from it.
 */
import type { ErrorBody } from "../protocol/errors";

export const ErrorCodes = {
  BAD_REQUEST: { status: 400, message: "The request is not valid." },
  /** A malformed percent-escape in the path or query, invalid UTF-8, or a lone UTF-16 surrogate. */
  MALFORMED_ENCODING: { status: 400, message: "The request is not valid: it carries a malformed escape or ill-formed text." },
  UNAUTHENTICATED: { status: 401, message: "Authentication is required." },
  FORBIDDEN: { status: 403, message: "This is not allowed." },
  ORIGIN_NOT_ALLOWED: { status: 403, message: "This target origin is not allowed for this agent." },
  WEBHOOK_URL_REFUSED: { status: 400, message: "This webhook URL is not allowed." },
  NOT_FOUND: { status: 404, message: "Not found." },
  /** The path exists, but not for this method; the answer names the allowed ones in `Allow`. */
  METHOD_NOT_ALLOWED: { status: 405, message: "Method not allowed." },
  LINK_INVALID: { status: 410, message: "This link is not valid: it has expired, was used, or never existed." },
  LINK_IN_USE: { status: 409, message: "This link is already in use on another device." },
  INVALID_TRANSITION: { status: 409, message: "The handoff is not in a state that allows this." },
  TOO_MANY_HANDOFFS: { status: 429, message: "This agent has too many handoffs in progress." },
  RATE_LIMITED: { status: 429, message: "Too many requests; slow down." },
  SLOW_DOWN: { status: 429, message: "Polling faster than the advertised interval." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Send JSON." },
  CROSS_SITE_REQUEST: { status: 403, message: "Cross-site requests are refused." },
  /** The database could not take the write in time (the audit chain held by another node); nothing of it was kept. */
  BUSY: { status: 503, message: "The server is busy; try again in a few seconds." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly publicMessage: string;
  readonly details?: Record<string, unknown>;

  /**
   * @param internal message for logs (never a secret)
   * @param details safe, structured details returned to the caller (e.g. zod issue paths)
   */
  constructor(code: ErrorCode, internal?: string, details?: Record<string, unknown>, publicMessage?: string) {
    super(internal ?? ErrorCodes[code].message);
    this.name = "AppError";
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.publicMessage = publicMessage ?? ErrorCodes[code].message;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.publicMessage, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

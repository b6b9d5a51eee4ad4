/**
 * The error contract: every refusal of every Baton endpoint (agent API, link API, operator API)
 * has this body, with a code from the one table in `lib/errors/app-error.ts`. Clients parse it with
 * `ErrorBodySchema` and so see the codes in their types.
 *
 * A newer server may add a code this side does not know: it still parses, as `UNKNOWN` — the
 * HTTP status still says what kind of refusal it is, and the message is the server's safe one.
 */
import { z } from "zod";
import { ErrorCodes, type ErrorCode } from "../errors/app-error";

export type { ErrorCode };

/** What a client reads for a code that is not in its table (a newer server's). */
export const UNKNOWN_ERROR_CODE = "UNKNOWN";
export type ReceivedErrorCode = ErrorCode | typeof UNKNOWN_ERROR_CODE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ErrorCodes, code);
}

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z
      .string()
      .max(64)
      .transform((code): ReceivedErrorCode => (isErrorCode(code) ? code : UNKNOWN_ERROR_CODE)),
    message: z.string().max(2000),
    /** Safe, structured detail: the failing paths of a bad request, a lockout's wait. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The body the server sends: always a code of its own table. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

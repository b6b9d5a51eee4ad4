import type { ReceivedErrorCode } from "../lib/protocol/errors";

/**
 * Typed outcomes of a handoff. The SDK rebuilds these from the server's `{code, message}` and from
 * the lifecycle state a handoff ended in, so an agent can `catch` exactly what it cares about.
 */
export class BatonError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BatonError";
  }
}

/**
 * What a `BatonApiError` can say: a code of the server's error table (`UNAUTHENTICATED`,
 * `ORIGIN_NOT_ALLOWED`, `RATE_LIMITED`, …, see `lib/errors/app-error.ts`); `UNKNOWN` for a code this
 * SDK does not know yet (a newer server's — `status` and `message` still say what happened);
 * `UNREACHABLE`, `HTTP_ERROR` (an answer without Baton's error body) or `BAD_RESPONSE` (an answer
 * that does not match the protocol) from the SDK itself.
 */
export type ApiErrorCode = ReceivedErrorCode | "UNREACHABLE" | "HTTP_ERROR" | "BAD_RESPONSE";

/** The server refused a request (bad key, origin not allowed, rate limited, …). */
export class BatonApiError extends BatonError {
  constructor(
    override readonly code: ApiErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(code, message);
    this.name = "BatonApiError";
  }
}

export class HandoffDenied extends BatonError {
  constructor(readonly handoffId: string) {
    super("DENIED", "The user denied the sign-in request.");
    this.name = "HandoffDenied";
  }
}

export class HandoffExpired extends BatonError {
  constructor(
    readonly handoffId: string,
    readonly reason: string | null,
  ) {
    super("EXPIRED", `The handoff expired (${reason ?? "deadline"}).`);
    this.name = "HandoffExpired";
  }
}

export class HandoffCancelled extends BatonError {
  constructor(
    readonly handoffId: string,
    readonly by: string | null,
  ) {
    super("CANCELLED", `The handoff was cancelled${by ? ` (${by})` : ""}.`);
    this.name = "HandoffCancelled";
  }
}

/**
 * The handoff could not complete. `reason` is one of the documented failure reasons
 * (`identity_provider_not_in_scope`, `navigation_loop`, `nothing_handed_over`, `session_in_storage`, `relay_lost`,
 * `sdk_too_old`, `server_too_old`, `worker_error`, …); `site` names the site concerned, when one is.
 */
export class HandoffFailed extends BatonError {
  constructor(
    readonly handoffId: string,
    readonly reason: string | null,
    detail?: string,
    readonly site?: string,
  ) {
    super("FAILED", `The handoff failed${reason ? `: ${reason}` : ""}${detail ? ` — ${detail}` : ""}.`);
    this.name = "HandoffFailed";
  }
}

/** The error for a handoff that ended in `state` with `endReason`. */
export function errorForEnd(handoffId: string, state: string, endReason: string | null): BatonError {
  switch (state) {
    case "denied":
      return new HandoffDenied(handoffId);
    case "expired":
      return new HandoffExpired(handoffId, endReason);
    case "cancelled":
      return new HandoffCancelled(handoffId, endReason);
    default:
      return new HandoffFailed(handoffId, endReason);
  }
}

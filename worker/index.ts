/** Baton's worker SDK: let a Playwright agent borrow a session, never a password. */
export { BatonClient } from "./baton-client";
export { BatonApiError, BatonError, HandoffCancelled, HandoffDenied, HandoffExpired, HandoffFailed, type ApiErrorCode } from "./errors";
export type { BatonClientOptions, BlockedEvent, CdpHandoffOptions, HandoffLink, HandoffOptions, HandoffResult, SuccessRule } from "./types";

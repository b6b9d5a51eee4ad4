/**
 * Why a handoff ended, as stored in its `endReason`, audited, shown on the phone and rebuilt into
 * typed errors by the SDK. The worker reports the `failed` ones; the server sets the rest.
 */
export const FailureReasons = {
  /** The sign-in went to an identity provider outside the handoff's scope. */
  IDP_NOT_IN_SCOPE: "identity_provider_not_in_scope",
  /** The sign-in page left for a site or document Baton refuses each time it was brought back. */
  NAVIGATION_LOOP: "navigation_loop",
  /** The sign-in ended without the target site setting or changing any cookie. */
  NOTHING_HANDED_OVER: "nothing_handed_over",
  /** The site keeps its session in browser storage and the agent did not ask for `includeStorage`. */
  STORAGE_ONLY: "session_in_storage",
  /** The worker lost the relay for good (refused at the handshake, or gone for too long). */
  RELAY_LOST: "relay_lost",
  /** The agent's process went away (its relay socket closed and did not come back within a short grace). */
  AGENT_DISCONNECTED: "agent_disconnected",
  WORKER_ERROR: "worker_error",
  WORKER_TIMEOUT: "worker_timeout",
} as const;
export type FailureReason = (typeof FailureReasons)[keyof typeof FailureReasons];

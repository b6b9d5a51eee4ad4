/**
 * Telling the server that this side ended the handoff. Every report here is best effort: when the
 * server cannot be told, its own deadlines end the handoff, and the agent already has its error.
 */
import { FailureReasons, type FailureReason } from "../../lib/protocol/end-reasons";
import type { ApiClient } from "../api-client";
import { systemTimers, type Timers, withDeadline } from "./timers";

/** How long what the phone was told may take to go out before the failure is reported anyway. */
const FLUSH_WAIT_MS = 1000;

/**
 * Reports `failed` once `flushed` settles (or a second has passed): the relay stops forwarding once
 * the handoff has ended, so what the phone was told goes first.
 */
export async function reportFailure(
  api: Pick<ApiClient, "report">,
  handoffId: string,
  flushed: Promise<unknown>,
  reason: string,
  timers: Timers = systemTimers,
): Promise<void> {
  await withDeadline(flushed, FLUSH_WAIT_MS, timers);
  await api.report(handoffId, { event: "failed", reason }).then(
    () => undefined,
    () => undefined,
  );
}

/** The kind of failure an exception stands for; the server hears only this (a message could quote the page). */
export function crashReason(error: unknown): FailureReason {
  return error instanceof Error && error.name === "TimeoutError" ? FailureReasons.WORKER_TIMEOUT : FailureReasons.WORKER_ERROR;
}

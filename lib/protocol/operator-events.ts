/**
 * The operator dashboard's live channel: a Socket.IO namespace of its own, server → dashboard
 * only. The dashboard parses every payload with these schemas; nothing here is ever a secret
 * (no token, key or cookie value — a handoff summary is metadata only).
 */
import { z } from "zod";
import { HandoffStates } from "../lifecycle/states";

export const OPERATOR_NAMESPACE = "/operators";

export const OperatorEvents = {
  /** A handoff was created or changed state. */
  handoffChanged: "handoff:changed",
  /** The operator's session ended (signed out elsewhere, expired): stop and go to sign-in. */
  sessionEnded: "session:ended",
} as const;

const Iso = z.iso.datetime({ offset: true });

/** One row of the history table, as the server renders it and as live updates carry it. */
export const HandoffSummarySchema = z.strictObject({
  id: z.string(),
  state: z.enum(HandoffStates),
  agentId: z.string(),
  agentName: z.string(),
  targetSite: z.string(),
  targetOrigin: z.string(),
  endUserRef: z.string().nullable(),
  createdAt: Iso,
  openedAt: Iso.nullable(),
  approvedAt: Iso.nullable(),
  liveAt: Iso.nullable(),
  capturedAt: Iso.nullable(),
  completedAt: Iso.nullable(),
  endedAt: Iso.nullable(),
  endReason: z.string().nullable(),
});
export type HandoffSummary = z.infer<typeof HandoffSummarySchema>;

export interface ServerToOperatorEvents {
  "handoff:changed": (summary: HandoffSummary) => void;
  "session:ended": () => void;
}

/** The dashboard sends nothing over the socket; its actions go through the CSRF-checked REST API. */
export type OperatorToServerEvents = Record<string, never>;

/**
 * Socket.IO events shared by server, worker and phone. Names are `entity:verb`. Payloads that come
 * from the network are parsed with these schemas on arrival; the types only describe them.
 */
import { z } from "zod";
import { HandoffStates } from "../lifecycle/states";
import { PROTOCOL_VERSION } from "./version";

export const SocketEvents = {
  /** Sealed, opaque bytes in either direction; the server only checks framing, size and rate. */
  streamData: "stream:data",
  /** Server → both: the handoff's lifecycle state changed. */
  handoffState: "handoff:state",
  /** Server → both: who is connected on the other side. */
  peerStatus: "peer:status",
  /** Server → agent: someone tried to claim the link from another device. */
  linkReuse: "link:reuse_detected",
} as const;

/** Any version parses, so that a mismatch can be answered with which side is too old. */
const ProtocolVersion = z.int().min(1).max(65_535);

/** The close reason for a peer speaking `theirs`, or null when it matches this build. */
export function versionMismatch(theirs: number): typeof CloseReasons.CLIENT_TOO_OLD | typeof CloseReasons.SERVER_TOO_OLD | null {
  if (theirs === PROTOCOL_VERSION) return null;
  return theirs < PROTOCOL_VERSION ? CloseReasons.CLIENT_TOO_OLD : CloseReasons.SERVER_TOO_OLD;
}

export const SocketAuthSchema = z.discriminatedUnion("role", [
  z.strictObject({ role: z.literal("agent"), protocolVersion: ProtocolVersion, handoffId: z.string().max(64), apiKey: z.string().max(128) }),
  z.strictObject({ role: z.literal("phone"), protocolVersion: ProtocolVersion, handoffId: z.string().max(64) }),
]);
export type SocketAuth = z.infer<typeof SocketAuthSchema>;

export const HandoffStateEventSchema = z.strictObject({
  state: z.enum(HandoffStates),
  endReason: z.string().nullable(),
});
export type HandoffStateEvent = z.infer<typeof HandoffStateEventSchema>;

export const PeerStatusSchema = z.strictObject({ phone: z.boolean(), agent: z.boolean() });
export type PeerStatus = z.infer<typeof PeerStatusSchema>;

export const LinkReuseEventSchema = z.strictObject({ at: z.iso.datetime(), attempts: z.int() });
export type LinkReuseEvent = z.infer<typeof LinkReuseEventSchema>;

/** Close reasons sent as the `message` of a connect_error or before a server-side disconnect. */
export const CloseReasons = {
  FORBIDDEN: "forbidden",
  UNAUTHENTICATED: "unauthenticated",
  BAD_HELLO: "bad_hello",
  RATE_LIMITED: "rate_limited",
  ENDED: "handoff_ended",
  REVOKED: "agent_revoked",
  ORIGIN: "origin_not_allowed",
  /** The connecting side speaks an older protocol than the relay: update the SDK (or reload the page). */
  CLIENT_TOO_OLD: "client_too_old",
  /** The connecting side speaks a newer protocol than the relay: update the Baton server. */
  SERVER_TOO_OLD: "server_too_old",
} as const;
export type CloseReason = (typeof CloseReasons)[keyof typeof CloseReasons];

export interface ServerToClientEvents {
  "stream:data": (payload: Uint8Array) => void;
  "handoff:state": (event: HandoffStateEvent) => void;
  "peer:status": (status: PeerStatus) => void;
  "link:reuse_detected": (event: LinkReuseEvent) => void;
}

export interface ClientToServerEvents {
  "stream:data": (payload: Uint8Array) => void;
}

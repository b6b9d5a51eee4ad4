/**
 * What the phone page is given about a link: the server renders it (lib/server/link-view.ts) and the
 * phone's components read it. Declared here, in the wire contract, so client code never imports a
 * server module.
 */
import type { HandoffState } from "../lifecycle/states";

export interface LinkView {
  handoffId: string;
  state: HandoffState;
  endReason: string | null;
  /** True when this device holds the link (it pressed Continue). */
  isThisDevice: boolean;
  /** True when another device holds it. */
  isClaimedElsewhere: boolean;
  agentName: string;
  operatorName: string;
  targetOrigin: string;
  targetSite: string;
  /** Identity-provider sites the page may visit to sign in; their sessions are never handed over. */
  identityProviders: string[];
  /** Further sites of the same service whose cookies are handed over with the target's. */
  handOverSites: string[];
  /** The agent also takes the target origin's saved data (localStorage, sessionStorage). */
  includesStorage: boolean;
  reason: string;
  confirmationCode: string;
  expiresAt: string;
  /** When the live session ends at the latest (set once approved). */
  sessionEndsAt: string | null;
  /** When the handoff ended (for the done screen's "Shared … at 07:04"). */
  endedAt: string | null;
}

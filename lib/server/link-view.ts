/**
 * What the phone page shows for a link, read without changing anything (GET is safe for link
 * scanners). Unknown, malformed, ended and expired links all read as `null` — one answer — unless
 * this very device claimed the link, in which case it sees how its handoff ended.
 */
import { LINK_TOKEN_PATTERN, formatConfirmationCode, sameDigest, sha256Hex } from "../auth/secrets";
import { isTerminal } from "../lifecycle/states";
import { neutralizeText } from "../text/neutralize-text";
import type { LinkView } from "../protocol/link-view";
import type { Services } from "./services";

export type { LinkView };

export async function loadLinkView(services: Services, token: string, deviceId: string | null): Promise<LinkView | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  const row = await services.store.findByTokenHash(sha256Hex(token));
  if (!row) return null;
  const state = row.state;
  const isThisDevice = Boolean(deviceId && row.deviceHash && sameDigest(row.deviceHash, sha256Hex(deviceId)));
  const isOver = isTerminal(state) || services.handoffs.deadlineReason(row, services.clock.now()) !== null;
  if (isOver && !isThisDevice) return null;
  return {
    handoffId: row.id,
    state,
    endReason: row.endReason === null ? null : neutralizeText(row.endReason),
    isThisDevice,
    isClaimedElsewhere: Boolean(row.deviceHash) && !isThisDevice,
    // Rows written before the input rules, or by another path, must not reach the screen raw.
    agentName: neutralizeText(row.agent.name),
    operatorName: neutralizeText(services.config.operatorName),
    targetOrigin: row.targetOrigin,
    targetSite: row.targetSite,
    identityProviders: row.identityProviders.map((site) => neutralizeText(site)),
    handOverSites: row.handOverSites.map((site) => neutralizeText(site)),
    includesStorage: row.includeStorage,
    reason: neutralizeText(row.reason, true),
    confirmationCode: formatConfirmationCode(row.confirmCode),
    expiresAt: row.expiresAt.toISOString(),
    sessionEndsAt: row.approvedAt ? new Date(row.approvedAt.getTime() + services.config.sessionMaxSeconds * 1000).toISOString() : null,
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

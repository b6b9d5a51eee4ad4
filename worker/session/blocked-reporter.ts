/**
 * What happens when Baton refuses a request of the handoff page. The page stayed where it was
 * (navigation-keeper.ts); the person sees a notice in the trusted chrome and the agent a callback,
 * both with the origin only, and the server audits one row per origin, reason and kind. A refused
 * navigation that is a step of a federated sign-in means the sign-in needs an identity provider the
 * handoff may not visit: `onIdentityProviderNeeded` ends it at once.
 */
import { isFederatedSignInUrl } from "../../lib/policy/sign-in-url";
import type { ToPhoneMessage } from "../../lib/protocol/stream";
import type { ApiClient } from "../api-client";
import type { BlockedRequest } from "../handoff-browser";
import type { BlockedEvent } from "../types";

export interface BlockedReporterDeps {
  api: ApiClient;
  handoffId: string;
  send(message: ToPhoneMessage): void;
  onBlocked?: (event: BlockedEvent) => void;
  onIdentityProviderNeeded(host: string): void;
}

const MAX_AUDITED = 50;

export function createBlockedReporter(deps: BlockedReporterDeps): (blocked: BlockedRequest) => void {
  const audited = new Set<string>();
  return ({ verdict, isNavigation, source, url }) => {
    const host = hostOf(verdict.origin);
    if (isNavigation) {
      const needsIdp = verdict.reason === "site" && isFederatedSignInUrl(url);
      deps.send({ t: "notice", kind: needsIdp ? "identity_provider_not_in_scope" : "navigation_blocked", site: host });
      if (needsIdp) deps.onIdentityProviderNeeded(host);
    }
    if (source === "page") deps.onBlocked?.({ origin: verdict.origin, reason: verdict.reason, isNavigation });
    // One audit row per origin, reason and kind is enough; a page can fire hundreds of requests.
    const key = `${verdict.reason}|${verdict.origin}|${isNavigation}|${source}`;
    if (audited.has(key) || audited.size >= MAX_AUDITED) return;
    audited.add(key);
    // Best effort: an audit row that does not arrive must not stop the person signing in.
    void deps.api.reportBlocked(deps.handoffId, { origin: verdict.origin, reason: verdict.reason, isNavigation, source }).catch(() => undefined);
  };
}

/** The host of a blocked origin, for the phone's notice (`file:` and `blob:` stay as they are). */
export function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname.slice(0, 253) || origin.slice(0, 253);
  } catch {
    return origin.slice(0, 253);
  }
}

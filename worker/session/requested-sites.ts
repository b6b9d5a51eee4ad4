/**
 * The two scopes a handoff asks for: identity providers to visit, further sites to hand over.
 * `alsoSites` (deprecated) meant both; it keeps that meaning for one release, with a warning, so no
 * agent changes behaviour silently.
 */
import type { CreateHandoffResponse } from "../../lib/protocol/api";
import type { HandoffOptions } from "../types";
import type { SignInScope } from "./sign-in-recognizer";

export function requestedSites(options: HandoffOptions): { identityProviders: string[]; handOverSites: string[] } {
  const also = options.alsoSites ?? [];
  if (also.length > 0) {
    process.emitWarning(
      "HandoffOptions.alsoSites is deprecated: it hands the identity provider's session over too. Use identityProviders (visit only), or alsoHandOver for sites of the same service.",
      "DeprecationWarning",
    );
  }
  const unique = (xs: string[]) => [...new Set(xs)];
  return { identityProviders: unique(options.identityProviders ?? []), handOverSites: unique([...(options.alsoHandOver ?? []), ...also]) };
}

/** What the page may visit, and what is handed over, for a created handoff. */
export function signInScope(created: CreateHandoffResponse, sites: ReturnType<typeof requestedSites>, options: HandoffOptions): SignInScope {
  return {
    visit: [created.targetSite, ...sites.identityProviders, ...sites.handOverSites],
    handOver: {
      targetSite: created.targetSite,
      targetOrigin: created.targetOrigin,
      handOverSites: sites.handOverSites,
      includeStorage: options.includeStorage ?? false,
      maxLifetimeSeconds: options.maxCookieLifetimeSeconds,
    },
  };
}

/**
 * The first step of a handoff: ask the server for it with the scope the options name, and make the
 * link the person opens. The seal key travels only in the link's fragment, which a browser never
 * sends to a server, so the relay in between never holds it.
 */
import { toBase64Url } from "../../lib/crypto/base64url";
import type { CreateHandoffResponse } from "../../lib/protocol/api";
import type { ApiClient } from "../api-client";
import { successKind } from "../success-detector";
import type { HandoffLink, HandoffOptions } from "../types";
import { requestedSites, signInScope } from "./requested-sites";
import type { SignInScope } from "./sign-in-recognizer";

export interface StartedHandoff {
  created: CreateHandoffResponse;
  scope: SignInScope;
  loginUrl: string;
}

/** Creates the handoff on the server; `loginUrl` is the options' or, by default, the agent page's. */
export async function startHandoff(api: Pick<ApiClient, "create">, options: HandoffOptions, pageUrl: string): Promise<StartedHandoff> {
  const loginUrl = options.loginUrl ?? pageUrl;
  const sites = requestedSites(options);
  const created = await api.create({
    loginUrl,
    reason: options.reason,
    endUserRef: options.endUserRef,
    ttlSeconds: options.ttlSeconds,
    ...sites,
    successKind: successKind(options.success),
    includeStorage: options.includeStorage ?? false,
  });
  return { created, scope: signInScope(created, sites, options), loginUrl };
}

/** The link for the person: the server's path, the raw seal key in the fragment, the code as `ABCD-EFGH`. */
export function handoffLink(created: CreateHandoffResponse, serverUrl: string, rawKey: Uint8Array): HandoffLink {
  const code = created.confirmationCode;
  return {
    url: `${new URL(created.linkPath, serverUrl).href}#k=${toBase64Url(rawKey)}`,
    code: `${code.slice(0, 4)}-${code.slice(4)}`,
    expiresAt: new Date(created.expiresAt),
    handoffId: created.id,
  };
}

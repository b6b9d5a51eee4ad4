/**
 * Everything a handoff needs once the server has created it: the relay link, the sealed channel,
 * the watch, and the isolated context with the login page loading in it. The link goes out while
 * the context opens and the page loads — the person needs seconds to open it, the browser a
 * fraction of one — so this returns as soon as the loading has started; `ready` says when it is done.
 */
import type { Browser } from "playwright-core";
import { createOpener, createSealer, Direction, randomEpoch } from "../../lib/crypto/seal";
import { importNodeSealKey } from "../seal-key";
import { isStreaming, isTerminal, type HandoffState } from "../../lib/lifecycle/states";
import { FailureReasons } from "../../lib/protocol/end-reasons";
import { SocketEvents } from "../../lib/protocol/events";
import type { ToPhoneMessage } from "../../lib/protocol/stream";
import type { ApiClient } from "../api-client";
import { HandoffFailed } from "../errors";
import { openHandoffBrowser, type HandoffBrowser } from "../handoff-browser";
import { openRelayLink, type RelaySocket } from "../relay-link";
import type { BatonClientOptions, HandoffOptions } from "../types";
import { createBlockedReporter, hostOf } from "./blocked-reporter";
import { createHandoffWatch } from "./create-watch";
import { loadLoginPage } from "./load-login-page";
import { relayCallbacks, type RelayHost } from "./relay-callbacks";
import { SealedChannel } from "./sealed-channel";
import type { SessionWatch } from "./session-watch";
import type { SignInRecognizer } from "./sign-in-recognizer";
import { startHandoff, type StartedHandoff } from "./start-handoff";
import type { StreamStack } from "./stream-stack";
import type { Timers } from "./timers";

export interface PreparedHandoff extends StartedHandoff {
  channel: SealedChannel;
  socket: RelaySocket;
  watch: SessionWatch;
  opening: Promise<HandoffBrowser>;
  /** Settles once the handoff page is loaded and instrumented; phone messages wait for it. */
  ready: Promise<void>;
}

/** What the parts call back into: the orchestrator, which owns the phase and the server's state. */
export interface SessionHost extends Omit<RelayHost, "handoffId" | "api" | "isOver"> {
  /** True while this side has neither completed nor failed the handoff. */
  isRunning(): boolean;
  state(): HandoffState;
  send(message: ToPhoneMessage): void;
  onLiveTick(): Promise<void>;
  /** The login page has loaded and its sign-in is being watched. */
  recognized(recognizer: SignInRecognizer): void;
}

export interface PrepareDeps {
  api: ApiClient;
  client: BatonClientOptions;
  options: HandoffOptions;
  timers: Timers;
  browser: Browser;
  /** The agent page's URL, the login page unless the options name one. */
  pageUrl: string;
  rawKey: Uint8Array;
  stack: StreamStack;
  host: SessionHost;
}

export async function prepareHandoff(deps: PrepareDeps): Promise<PreparedHandoff> {
  const { api, client, options, host } = deps;
  const started = await startHandoff(api, options, deps.pageUrl);
  const { created } = started;
  const key = importNodeSealKey(deps.rawKey);
  const socket = openRelayLink({
    serverUrl: client.serverUrl,
    apiKey: client.apiKey,
    handoffId: created.id,
    lostAfterMs: client.relayLossTimeoutMs,
    ...relayCallbacks({ ...host, handoffId: created.id, api, isOver: () => !host.isRunning() || isTerminal(host.state()) }),
  });
  const channel = new SealedChannel({
    sealer: createSealer(key, created.id, Direction.toPhone, randomEpoch()),
    opener: createOpener(key, created.id, Direction.toWorker),
    emit: (payload) => socket.emit(SocketEvents.streamData, payload),
    canSend: () => isStreaming(host.state()),
  });
  const watch = createHandoffWatch({ ...host, timers: deps.timers, handoffId: created.id, sessionIdleSeconds: created.sessionIdleSeconds, api });
  const { opening, ready } = openLoginPage(deps, started);
  return { ...started, channel, socket, watch, opening, ready };
}

/** The isolated context, opening while the link goes out, and the login page loading in it. */
function openLoginPage(deps: PrepareDeps, { created, scope, loginUrl }: StartedHandoff): Pick<PreparedHandoff, "opening" | "ready"> {
  const { api, options, host } = deps;
  const opening = openHandoffBrowser({
    browser: deps.browser,
    targetOrigin: created.targetOrigin,
    allowedSites: scope.visit,
    trustedOrigins: options.trustedPrivateOrigins,
    onBlocked: createBlockedReporter({
      api,
      handoffId: created.id,
      send: (m) => host.send(m),
      onBlocked: options.onBlocked,
      onIdentityProviderNeeded: (site) => host.failWith(idpNotInScope(created.id, site)),
    }),
    onPageKeptLeaving: (origin) => host.failWith(keptLeaving(created.id, hostOf(origin))),
  });
  // Both are awaited later (ready by run(), opening at cleanup); an early failure must not go unhandled meanwhile.
  opening.catch(() => undefined);
  const ready = opening.then(async (hb) => {
    const isOver = () => !host.isRunning();
    host.recognized(await loadLoginPage(hb, { stack: deps.stack, send: (m) => host.send(m), loginUrl, scope, success: options.success, isOver }));
  });
  ready.catch(() => undefined);
  return { opening, ready };
}

/** `site` is a host, or a scheme alone (`blob:`, `data:`) when the page made an origin-less document (the keeper's lastRefused). */
function keptLeaving(handoffId: string, site: string): HandoffFailed {
  const detail = site.endsWith(":")
    ? `the sign-in page made a ${site} document each time it was brought back; Baton never shows one, so this page cannot be used for a handoff`
    : `the sign-in page went to ${site || "a refused address"} each time it was brought back; if the sign-in needs that site and it is a public one, name it in the agent's scope`;
  return new HandoffFailed(handoffId, FailureReasons.NAVIGATION_LOOP, detail, site);
}

function idpNotInScope(handoffId: string, site: string): HandoffFailed {
  const detail = `the sign-in goes through ${site}; name it in identityProviders (and the agent's --idps scope)`;
  return new HandoffFailed(handoffId, FailureReasons.IDP_NOT_IN_SCOPE, detail, site);
}

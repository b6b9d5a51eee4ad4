/** Public types of the worker SDK. */
import type { Browser } from "playwright-core";
import type { HandoffState } from "../lib/lifecycle/states";
import type { SuccessRule } from "./success-detector";

export type { SuccessRule };

export interface BatonClientOptions {
  /** Where the Baton server is, e.g. `https://baton.example.com`. */
  serverUrl: string;
  /** The agent's API key (`bat_…`), from `npm run baton -- agent create`. */
  apiKey: string;
  /**
   * How long the relay may stay unreachable during a handoff before it fails with
   * `HandoffFailed` (`relay_lost`). Default 20 000 ms; a refusal by the relay fails at once.
   */
  relayLossTimeoutMs?: number;
}

export interface HandoffLink {
  /** The full link for the user: `…/h/<token>#k=<key>`. Deliver it only to the user. */
  url: string;
  /** Confirmation code (e.g. `BCDF-GHJK`), shown on the phone too: show it in your own UI. */
  code: string;
  expiresAt: Date;
  handoffId: string;
}

export interface BlockedEvent {
  origin: string;
  reason: "scheme" | "site" | "private_address" | "unresolvable";
  /** True for a page (or popup) the person or the page tried to open; false for a subresource. */
  isNavigation: boolean;
}

export interface HandoffOptions {
  /** Why the agent needs the user to sign in; shown to the user as the agent's words. */
  reason: string;
  /** The login page to open for the user. Default: `page.url()`. */
  loginUrl?: string;
  /** Your reference for the end user (audited, not shown to them). */
  endUserRef?: string;
  /** How to tell the user is signed in. Default: a heuristic, and the user's "I'm signed in". */
  success?: SuccessRule;
  /** Link lifetime; the server caps it (10 minutes by default). */
  ttlSeconds?: number;
  /** Called once with the link to deliver to the user (chat, e-mail, QR code…). */
  onLink: (link: HandoffLink) => void | Promise<void>;
  /** Called when someone tries to claim the link from a second device. */
  onReuseDetected?: (event: { attempts: number }) => void;
  /** Called on every lifecycle change. */
  onStateChange?: (state: HandoffState) => void;
  /** Aborting cancels the handoff. */
  signal?: AbortSignal;
  /**
   * Identity-provider sites (registrable domains, e.g. `idp.example`) the handoff page may *visit*
   * to sign in — "Sign in with …" redirects and popups. Each must be in the agent's scope on the
   * server (`--idps`), or the handoff is refused. Their cookies are never handed over: the person's
   * identity-provider session stays in the temporary handoff browser and is thrown away with it.
   */
  identityProviders?: string[];
  /**
   * Rarely needed: further sites of the *same service* (registrable domains) whose cookies are handed
   * over together with the target's — e.g. a bank whose session spans `bank.example` and
   * `bank-cdn.example`. Each must be in the agent's hand-over scope (`--hand-over`); the consent screen
   * names them. Never list an identity provider here.
   */
  alsoHandOver?: string[];
  /**
   * @deprecated Use `identityProviders` (visit only). Kept for one release with its old meaning —
   * visited *and* handed over — and a warning; it will be removed.
   */
  alsoSites?: string[];
  /** Called when Baton refuses a page of the handoff (origin and reason only, never a path). */
  onBlocked?: (event: BlockedEvent) => void;
  /**
   * Exact origins on a private network the handoff page may reach although they resolve to private
   * addresses — an intranet identity provider, a local test site. Each must be the target's site or
   * one of `identityProviders`/`alsoHandOver`. Default: none (only the target origin itself may be private).
   */
  trustedPrivateOrigins?: string[];
  /** Also hand over the target origin's localStorage and sessionStorage (default: false). */
  includeStorage?: boolean;
  /** Cap the handed-over cookies' lifetime (seconds from now). */
  maxCookieLifetimeSeconds?: number;
  /** The browser to open the handoff context in. Default: `page.context().browser()`. */
  browser?: Browser;
  /**
   * How frames are produced: `adaptive` (the default: Chromium's screencast, and captures while the
   * page animates), the screencast alone, or screenshots in a loop — the designs `npm run bench`
   * compares against. Leave it unset.
   */
  frameSource?: FrameSourceKind;
}

export type FrameSourceKind = "adaptive" | "screencast" | "screenshots";

export interface HandoffResult {
  status: "completed";
  handoffId: string;
  /** What was handed over: names and domains only. */
  cookies: { name: string; domain: string }[];
  /** True if someone tried to use the link from another device. */
  reuseDetected: boolean;
  /**
   * Where the time went, measured in this process: from `handoff()` to the link handed to
   * `onLink`, and from the sign-in being recognised to the cookies being in `page.context()`.
   */
  timings: { linkReadyMs: number; detectedToInjectedMs: number };
  /** How the sign-in was recognised. */
  detectedBy: "rule" | "heuristic" | "user";
  /** Number of localStorage + sessionStorage entries handed over (with `includeStorage`). */
  storageEntries: number;
  /**
   * Signs the agent's context out of the site when its task is done: removes exactly the cookies
   * (and, with `includeStorage`, the storage entries) this handoff added, and records that on the server.
   */
  release(): Promise<void>;
}

/** `handoffOverCdp()`'s options: `handoff()`'s, plus which page of the remote browser to hand off. */
export interface CdpHandoffOptions extends Omit<HandoffOptions, "browser"> {
  /** The page whose URL matches. Default: the only page, else the most recently opened one. */
  page?: RegExp;
}

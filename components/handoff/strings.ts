/**
 * Every word the phone page shows, in one place so the page can be translated. Functions take the
 * values they need; none of them is ever given a secret.
 */
export const strings = {
  brand: "Baton",
  documentTitle: "Sign-in request",

  consent: {
    heading: "Sign-in request",
    runBy: (operator: string) => `run by ${operator}`,
    whoLabel: "Who is asking",
    siteLabel: "For your account on",
    punycode: (unicode: string) => `This address uses international letters. It reads as “${unicode}” — check it is the site you expect.`,
    reasonLabel: (agent: string) => `${agent} says`,
    reasonNote: (operator: string) => `Written by the app, not checked by ${operator}. Links in it do not open.`,
    handsOverLabel: "What it gets",
    handsOver: (sites: string[], withStorage: boolean) =>
      `Session cookies for ${sites.join(", ")}${withStorage ? `, and the data ${sites[0]} saves in the browser` : ""} — nothing else`,
    identityProviders: (idps: string[], agent: string, site: string) =>
      `You may sign in through ${idps.join(" or ")}; that sign-in stays in this temporary browser, which is thrown away afterwards — ${agent} gets only ${site}'s session.`,
    codeLabel: "Confirmation code",
    codeHint: "Check that it matches the code shown where you started this.",
    whatHappens: (agent: string, site: string) =>
      `You'll sign in yourself, in a secure browser shown on this page. ${agent} gets your ${site} session only — never your password.`,
    continue: "Continue",
    deny: "Deny",
    expiresIn: (clock: string) => `Expires in ${clock}`,
  },

  approve: {
    heading: "Approve this sign-in?",
    body: (agent: string, site: string) =>
      `Approve to open ${site} here. Type your password only into that page; ${agent} receives the signed-in session, not what you type.`,
    approve: "Approve",
    deny: "Deny",
  },

  live: {
    heading: (site: string) => `Sign in to ${site}`,
    back: "Back",
    reload: "Reload",
    closePopup: "Close this window",
    signedIn: "I'm signed in",
    cancel: "Cancel",
    viewLabel: (site: string) => `Live view of ${site}. Tap and type as you would on the site itself.`,
    notSecure: "Not secure",
    sessionEndsIn: (clock: string) => `Ends in ${clock}`,
    opening: (site: string) => `Opening ${site}…`,
    openingHint: "A fresh, private browser is starting for this sign-in.",
    dismiss: "Dismiss",
    status: {
      connecting: "Connecting securely…",
      waitingForBrowser: "Waiting for the remote browser…",
      loading: "Loading the page…",
      live: "Live — sign in as you normally would",
      reconnecting: "Connection lost — reconnecting…",
      agentAway: "The app that asked for this is not responding — waiting for it…",
      signedIn: "Signed in — handing over the session…",
    },
    notices: {
      blocked: (site: string) => `Baton stopped this page from opening ${site || "another site"}.`,
      idpNotInScope: (site: string) => `This sign-in goes through ${site || "another site"}, which this app isn't allowed to use. Nothing was shared.`,
      notSignedInYet: "We can't see you signed in yet — keep going?",
      notSignedInYetHint: 'Finish signing in on the page, then tap "I\'m signed in" again.',
    },
    missingKey: {
      title: "This page lost its secure key",
      body: "Without it nothing can be shown or typed safely. Open the original link again on this device, or cancel.",
    },
  },

  ended: {
    completed: { title: "You're done", body: (agent: string, site: string) => `${agent} is now signed in to ${site}. You can close this page.` },
    shared: (site: string, time: string | null) => `Shared: session cookies for ${site}${time ? ` at ${time}` : ""}.`,
    undo: (site: string) => `To end it, sign out of ${site} (or end its sessions in ${site}'s settings).`,
    captured: { title: "Almost done", body: (agent: string, site: string) => `Handing your ${site} session to ${agent}…` },
    denied: { title: "Request declined", body: (agent: string) => `Nothing was shared with ${agent}. You can close this page.` },
    expired: { title: "This request expired", body: (agent: string) => `Nothing was shared. Ask ${agent} for a new link if you still want to sign in.` },
    idle: {
      title: "Session timed out",
      body: (agent: string) => `Nothing happened for a while, so the sign-in was closed and nothing was shared. Ask ${agent} for a new link to try again.`,
    },
    cancelled: { title: "Request cancelled", body: () => "The sign-in was stopped and nothing was shared. You can close this page." },
    failed: {
      title: "Something went wrong",
      body: (agent: string) => `The sign-in could not be completed, and nothing was shared. Ask ${agent} for a new link to try again.`,
    },
    /** Failure reasons (lib/protocol/end-reasons.ts) in words a person understands. */
    reasons: {
      agent_disconnected: { title: "The app disconnected", body: () => "The app that asked for this disconnected. Nothing was shared." },
      identity_provider_not_in_scope: {
        title: "This sign-in can't be used",
        body: (agent: string, _site: string, via?: string | null) =>
          `It goes through ${via ? `${via}, ` : "another company's sign-in, "}which ${agent} isn't allowed to use, so it was stopped. Nothing was shared.`,
      },
      nothing_handed_over: {
        title: "Nothing to hand over",
        body: (agent: string, site: string) => `${site} didn't sign you in, so nothing was shared with ${agent}. Ask for a new link to try again.`,
      },
      session_in_storage: {
        title: "This site can't be handed over",
        body: (agent: string, site: string) => `${site} keeps its sign-in in a way ${agent} didn't ask to receive, so nothing was shared.`,
      },
      navigation_loop: {
        title: "This sign-in page can't be used here",
        body: (agent: string, _site: string, via?: string | null) =>
          `It kept trying to open ${via && !via.endsWith(":") ? `${via}, which isn't` : "a page that isn't"} allowed during this sign-in, so it was stopped. Nothing was shared with ${agent}.`,
      },
      relay_lost: { title: "The connection was lost", body: () => "The secure connection to the sign-in browser was lost for too long. Nothing was shared." },
    },
    report: "Report this request",
    reportHint: (operator: string) => `If you didn't expect it, tell ${operator}.`,
    reported: (operator: string) => `Thank you — ${operator} has been told.`,
    reportFailed: "We couldn't send the report. Try again.",
  },

  invalid: {
    title: "This link can't be used",
    body: (operator: string) =>
      `It has expired, was already used, or was never valid. Ask the app or person that sent it for a new one. This Baton is run by ${operator}.`,
  },
  inUse: {
    title: "Already in use",
    body: (agent: string, operator: string) =>
      `This link is already in use on another device. The attempt was recorded and ${agent} has been told. If that wasn't you, report it to ${operator}.`,
  },
  errors: {
    rateLimited: "Too many attempts. Wait a minute and try again.",
    network: "We couldn't reach the server. Check your connection and try again.",
    generic: "Something went wrong. Try again.",
  },

  home: {
    title: "Baton",
    body: "Baton lets a browser agent borrow a signed-in session — never a password. If someone sent you a link, open the full link from your message.",
  },
  notFound: { title: "Page not found", body: "There is nothing at this address." },
} as const;

/** `m:ss` (or `h:mm:ss`) for a countdown. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

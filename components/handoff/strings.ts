/**
 * Every word the phone page shows, in one place so the page can be translated. Functions take the
 * values they need; none of them is ever given a secret.
 */
export const strings = {
  brand: "Baton",
  documentTitle: "Sign-in request",

  consent: {
    heading: "Sign-in request",
    asking: (agent: string) => `${agent} is asking to use your sign-in to`,
    reasonLabel: "Their reason",
    reasonNote: (operator: string) => `Written by the agent, not checked by ${operator}.`,
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
    expiresIn: (clock: string) => `Expires in ${clock}`,
    runBy: (operator: string) => `Run by ${operator}`,
  },

  approve: {
    heading: "Approve this sign-in?",
    body: (agent: string, site: string) =>
      `Approve to open ${site} here. Type your password only into that page; ${agent} receives the signed-in session, not what you type.`,
    approve: "Approve",
    deny: "Deny",
  },

  live: {
    back: "Back",
    reload: "Reload",
    closePopup: "Close this window",
    signedIn: "I'm signed in",
    cancel: "Cancel",
    viewLabel: (site: string) => `Live view of ${site}. Tap and type as you would on the site itself.`,
    notSecure: "Not secure",
    sessionEndsIn: (clock: string) => `Ends in ${clock}`,
    status: {
      connecting: "Connecting securely…",
      waitingForBrowser: "Waiting for the remote browser…",
      loading: "Loading the page…",
      live: "Live — sign in as you normally would",
      reconnecting: "Connection lost — reconnecting…",
      signedIn: "Signed in — handing over the session…",
      blocked: (site: string) => `Baton stopped this page from opening ${site || "another site"}. You can keep signing in.`,
      idpNotInScope: (site: string) => `This sign-in goes through ${site || "another site"}, which this app isn't allowed to use.`,
      notSignedInYet: "We can't see you signed in yet — keep going, then tap \"I'm signed in\" again.",
      missingKey: "This page lost its secure key. Open the original link again on this device.",
    },
  },

  ended: {
    completed: { title: "You're done", body: (agent: string, site: string) => `${agent} is now signed in to ${site}. You can close this page.` },
    captured: { title: "Almost done", body: (agent: string, site: string) => `Handing your ${site} session to ${agent}…` },
    denied: { title: "Request declined", body: (agent: string) => `Nothing was shared with ${agent}. You can close this page.` },
    expired: { title: "This request expired", body: () => "Nothing was shared. Ask for a new link if you still want to sign in." },
    idle: { title: "Session timed out", body: () => "Nothing happened for a while, so the sign-in was closed and nothing was shared. Ask for a new link to try again." },
    cancelled: { title: "Request cancelled", body: () => "The sign-in was stopped and nothing was shared. You can close this page." },
    failed: { title: "Something went wrong", body: () => "The sign-in could not be completed, and nothing was shared. Ask for a new link to try again." },
  },

  invalid: {
    title: "This link can't be used",
    body: "It has expired, was already used, or was never valid. Ask whoever sent it for a new one.",
  },
  inUse: {
    title: "Already in use",
    body: "This link is already in use on another device. If that wasn't you, tell whoever sent it — the attempt has been recorded.",
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

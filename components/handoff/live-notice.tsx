"use client";
/**
 * What the person must not miss while signing in, in the trusted chrome (never on the canvas):
 * a lost connection, an app that stopped responding, a page Baton kept from opening, a sign-in
 * that needs a provider the app may not use, and "we can't see you signed in yet". A blocked page
 * is a passing fact and fades after a few seconds; the others stay while they are true.
 */
import { useEffect, useState } from "react";
import type { StreamSnapshot } from "./phone-stream";
import { strings } from "./strings";

/** How long "Baton stopped this page from opening …" stays up. */
export const BLOCKED_NOTICE_MS = 5000;

type Banner = { tone: "warn" | "info"; title: string; hint?: string; canDismiss: boolean; key: string };

function bannerFor(s: StreamSnapshot | null, isBlockedFresh: boolean, dismissedAt: number | null): Banner | null {
  if (!s) return null;
  const t = strings.live;
  if (s.connection === "reconnecting") return { tone: "warn", title: t.status.reconnecting, canDismiss: false, key: "reconnecting" };
  if (s.connection === "connected" && s.hasFrame && !s.isAgentConnected) return { tone: "warn", title: t.status.agentAway, canDismiss: false, key: "agent" };
  const notice = s.notice;
  if (!notice || notice.at === dismissedAt) return null;
  if (notice.kind === "identity_provider_not_in_scope") return { tone: "warn", title: t.notices.idpNotInScope(notice.site), canDismiss: false, key: "idp" };
  if (notice.kind === "not_signed_in_yet")
    return { tone: "warn", title: t.notices.notSignedInYet, hint: t.notices.notSignedInYetHint, canDismiss: true, key: "not-yet" };
  return isBlockedFresh ? { tone: "info", title: t.notices.blocked(notice.site), canDismiss: true, key: "blocked" } : null;
}

export function LiveNotice({ snapshot }: { snapshot: StreamSnapshot | null }) {
  const notice = snapshot?.notice ?? null;
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [fadedAt, setFadedAt] = useState<number | null>(null);
  useEffect(() => {
    if (notice?.kind !== "navigation_blocked") return;
    const timer = setTimeout(() => setFadedAt(notice.at), BLOCKED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const banner = bannerFor(snapshot, notice !== null && fadedAt !== notice.at, dismissedAt);
  // Always rendered, so screen readers hear a banner that appears in it.
  return (
    <div role="alert" data-testid="live-notice" data-kind={banner?.key ?? ""} className="empty:hidden">
      {banner ? (
        <div
          className={`flex items-start gap-3 px-4 py-2.5 text-sm ${
            banner.tone === "warn"
              ? "bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50"
              : "bg-sky-100 text-sky-950 dark:bg-sky-900 dark:text-sky-50"
          }`}
        >
          <div className="min-w-0 flex-1">
            <p className="font-semibold">{banner.title}</p>
            {banner.hint ? <p className="mt-0.5">{banner.hint}</p> : null}
          </div>
          {banner.canDismiss && notice ? (
            <button
              type="button"
              onClick={() => setDismissedAt(notice.at)}
              className="-my-1 h-9 shrink-0 rounded-lg px-3 font-medium underline underline-offset-2"
            >
              {strings.live.dismiss}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

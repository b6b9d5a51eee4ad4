"use client";
/**
 * The phone page's flow: consent (GET changed nothing) → Continue claims the link for this device
 * → Approve or Deny → live view → an unmistakable ending. The seal key arrives in the fragment; it
 * is moved to this tab's sessionStorage and removed from the address bar before anything else.
 */
import { useCallback, useEffect, useState } from "react";
import { isTerminal, type HandoffState } from "../../lib/lifecycle/states";
import type { LinkView } from "../../lib/protocol/link-view";
import { ConsentScreen } from "./consent-screen";
import { EndScreen } from "./end-screen";
import { Ending } from "./ending";
import { claimLink, decideLink, type LinkResult } from "./link-api";
import { LiveScreen } from "./live-screen";
import { PageShell } from "./page-shell";
import type { StreamSnapshot } from "./phone-stream";
import { ReportButton } from "./report-button";
import { strings } from "./strings";
import { useCountdown } from "./use-countdown";

type Screen =
  | { kind: "consent" }
  | { kind: "approve" }
  | { kind: "live" }
  | { kind: "ended"; state: HandoffState; endReason?: string | null; endedAt?: string | null; blockedSite?: string | null }
  | { kind: "invalid" }
  | { kind: "in_use" };

function initialScreen(view: LinkView | null): Screen {
  if (!view) return { kind: "invalid" };
  if (!view.isThisDevice) return { kind: "consent" };
  if (isTerminal(view.state) || view.state === "captured") return { kind: "ended", state: view.state, endReason: view.endReason, endedAt: view.endedAt };
  if (view.state === "opened") return { kind: "approve" };
  return { kind: "live" };
}

/** Reads `#k=` once, keeps it for this tab only, and clears it from the address bar and history. */
function takeSealKey(handoffId: string): string | null {
  const storageKey = `baton:key:${handoffId}`;
  const match = /^#k=([A-Za-z0-9_-]{43})$/.exec(window.location.hash);
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  try {
    if (match) window.sessionStorage.setItem(storageKey, match[1]);
    return window.sessionStorage.getItem(storageKey) ?? match?.[1] ?? null;
  } catch {
    return match?.[1] ?? null;
  }
}

/** Deny from the first screen: the link is claimed for this device, then declined at once. */
async function claimAndDeny(token: string): Promise<LinkResult> {
  const claimed = await claimLink(token);
  return claimed.ok && claimed.state === "opened" ? decideLink(token, "deny") : claimed;
}

export function HandoffScreen({ view, token, operatorName }: { view: LinkView | null; token: string; operatorName: string }) {
  const [screen, setScreen] = useState<Screen>(() => initialScreen(view));
  const [sealKey, setSealKey] = useState<string | null>(null);
  const [isHydrated, setIsHydrated] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const msLeft = useCountdown(view?.expiresAt ?? null);

  useEffect(() => {
    if (view) setSealKey(takeSealKey(view.handoffId));
    else if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
    setIsHydrated(true);
  }, [view]);

  // An unclaimed request that runs out of time ends here too, without a reload.
  useEffect(() => {
    if (msLeft === 0 && (screen.kind === "consent" || screen.kind === "approve")) setScreen({ kind: "ended", state: "expired" });
  }, [msLeft, screen.kind]);

  const fail = useCallback((result: Extract<LinkResult, { ok: false }>) => {
    if (result.code === "LINK_IN_USE") return setScreen({ kind: "in_use" });
    if (result.code === "LINK_INVALID") return setScreen({ kind: "invalid" });
    setError(result.code === "RATE_LIMITED" ? strings.errors.rateLimited : result.code === "NETWORK" ? strings.errors.network : strings.errors.generic);
  }, []);

  const act = useCallback(
    async (request: () => Promise<LinkResult>) => {
      setIsBusy(true);
      setError(null);
      const result = await request();
      setIsBusy(false);
      if (!result.ok) return fail(result);
      const state = result.state;
      setScreen(isTerminal(state) ? { kind: "ended", state, endedAt: new Date().toISOString() } : state === "opened" ? { kind: "approve" } : { kind: "live" });
    },
    [fail],
  );

  const onSnapshot = useCallback((s: StreamSnapshot) => {
    // "captured" stays on the live screen (its status says so): the stream must stay open to hear "completed".
    if (s.state && isTerminal(s.state))
      setScreen({
        kind: "ended",
        state: s.state,
        endReason: s.endReason,
        endedAt: new Date().toISOString(),
        // The site the sign-in needed or kept going to, as the worker's last notice named it (the end state does not carry it).
        blockedSite: s.notice?.kind === "identity_provider_not_in_scope" || s.notice?.kind === "navigation_blocked" ? s.notice.site : null,
      });
  }, []);

  // The key is not needed once the handoff is over.
  useEffect(() => {
    if (screen.kind === "ended" && view) {
      try {
        window.sessionStorage.removeItem(`baton:key:${view.handoffId}`);
      } catch {
        // Storage refused (private mode): the key goes with the tab.
      }
    }
  }, [screen.kind, view]);

  if (!view || screen.kind === "invalid")
    return (
      <PageShell state="invalid" operatorName={operatorName}>
        <EndScreen tone="neutral" title={strings.invalid.title}>
          {strings.invalid.body(operatorName)}
        </EndScreen>
      </PageShell>
    );

  switch (screen.kind) {
    case "in_use":
      return (
        <PageShell state="in_use" operatorName={view.operatorName}>
          <EndScreen
            tone="bad"
            title={strings.inUse.title}
            more={<ReportButton token={token} operatorName={view.operatorName} report={{ reason: "used_by_someone_else", screen: "in_use" }} />}
          >
            {strings.inUse.body(view.agentName, view.operatorName)}
          </EndScreen>
        </PageShell>
      );
    case "ended":
      return (
        <PageShell state={screen.state} operatorName={view.operatorName}>
          <Ending
            view={view}
            token={token}
            state={screen.state}
            endReason={screen.endReason ?? view.endReason}
            endedAt={screen.endedAt ?? view.endedAt}
            blockedSite={screen.blockedSite ?? null}
          />
        </PageShell>
      );
    case "live":
      return <LiveScreen view={view} sealKey={sealKey} isBusy={isBusy} onSnapshot={onSnapshot} onCancel={() => void act(() => decideLink(token, "cancel"))} />;
    case "consent":
    case "approve":
      return (
        <ConsentScreen
          view={view}
          isApprove={screen.kind === "approve"}
          msLeft={msLeft}
          error={error}
          isEnabled={isHydrated && !isBusy}
          onContinue={() => void act(() => claimLink(token))}
          onApprove={() => void act(() => decideLink(token, "approve"))}
          onDeny={() => void act(() => (screen.kind === "approve" ? decideLink(token, "deny") : claimAndDeny(token)))}
        />
      );
  }
}

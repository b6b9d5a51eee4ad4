"use client";
/**
 * The phone page's flow: consent (GET changed nothing) → Continue claims the link for this device
 * → Approve or Deny → live view → an unmistakable ending. The seal key arrives in the fragment; it
 * is moved to this tab's sessionStorage and removed from the address bar before anything else.
 */
import { useCallback, useEffect, useState } from "react";
import { isTerminal, type HandoffState } from "../../lib/lifecycle/states";
import type { LinkView } from "../../lib/server/link-view";
import { EndScreen } from "./end-screen";
import { claimLink, decideLink, type LinkResult } from "./link-api";
import { LiveScreen } from "./live-screen";
import { PageShell } from "./page-shell";
import type { StreamSnapshot } from "./phone-stream";
import { RequestCard } from "./request-card";
import { strings } from "./strings";
import { useCountdown } from "./use-countdown";

type Screen =
  | { kind: "consent" }
  | { kind: "approve" }
  | { kind: "live" }
  | { kind: "ended"; state: HandoffState; endReason?: string | null }
  | { kind: "invalid" }
  | { kind: "in_use" };

function initialScreen(view: LinkView | null): Screen {
  if (!view) return { kind: "invalid" };
  if (!view.isThisDevice) return { kind: "consent" };
  if (isTerminal(view.state) || view.state === "captured") return { kind: "ended", state: view.state };
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

const buttonBase = "h-13 w-full rounded-xl text-base font-semibold transition-colors disabled:opacity-50";

export function HandoffScreen({ view, token }: { view: LinkView | null; token: string }) {
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
    async (request: () => Promise<LinkResult>, next: (state: HandoffState) => Screen) => {
      setIsBusy(true);
      setError(null);
      const result = await request();
      setIsBusy(false);
      if (result.ok) setScreen(next(result.state));
      else fail(result);
    },
    [fail],
  );

  const onSnapshot = useCallback((s: StreamSnapshot) => {
    // "captured" stays on the live screen (its status says so): the stream must stay open to hear "completed".
    if (s.state && isTerminal(s.state)) setScreen({ kind: "ended", state: s.state, endReason: s.endReason });
  }, []);

  // The key is not needed once the handoff is over.
  useEffect(() => {
    if (screen.kind === "ended" && view) {
      try {
        window.sessionStorage.removeItem(`baton:key:${view.handoffId}`);
      } catch {}
    }
  }, [screen.kind, view]);

  if (!view || screen.kind === "invalid")
    return (
      <PageShell state="invalid">
        <EndScreen tone="neutral" title={strings.invalid.title}>
          {strings.invalid.body}
        </EndScreen>
      </PageShell>
    );

  const afterState = (state: HandoffState): Screen =>
    isTerminal(state) ? { kind: "ended", state } : state === "opened" ? { kind: "approve" } : { kind: "live" };

  switch (screen.kind) {
    case "in_use":
      return (
        <PageShell state="in_use">
          <EndScreen tone="bad" title={strings.inUse.title}>
            {strings.inUse.body}
          </EndScreen>
        </PageShell>
      );
    case "ended":
      return (
        <PageShell state={screen.state}>
          <Ending view={view} state={screen.state} endReason={screen.endReason ?? view.endReason} />
        </PageShell>
      );
    case "live":
      return (
        <LiveScreen
          view={view}
          sealKey={sealKey}
          isBusy={isBusy}
          onSnapshot={onSnapshot}
          onCancel={() => void act(() => decideLink(token, "cancel"), afterState)}
        />
      );
    case "consent":
    case "approve": {
      const isApprove = screen.kind === "approve";
      return (
        <PageShell state={isApprove ? "opened" : view.state} footer={strings.consent.runBy(view.operatorName)}>
          <h1 className="pt-4 pb-5 text-xl font-semibold tracking-tight">{isApprove ? strings.approve.heading : strings.consent.heading}</h1>
          <RequestCard view={view} msLeft={msLeft} />
          <p className="mt-5 text-sm leading-relaxed text-neutral-600 dark:text-neutral-400">
            {isApprove ? strings.approve.body(view.agentName, view.targetSite) : strings.consent.whatHappens(view.agentName, view.targetSite)}
          </p>
          <div className="mt-auto pt-6">
            {error ? (
              <p role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
                {error}
              </p>
            ) : null}
            {isApprove ? (
              <div className="grid grid-cols-2 gap-3">
                <button
                  type="button"
                  disabled={!isHydrated || isBusy}
                  onClick={() => void act(() => decideLink(token, "deny"), afterState)}
                  className={`${buttonBase} bg-neutral-800 text-white active:bg-neutral-900 dark:bg-neutral-200 dark:text-neutral-900 dark:active:bg-neutral-300`}
                >
                  {strings.approve.deny}
                </button>
                <button
                  type="button"
                  disabled={!isHydrated || isBusy}
                  onClick={() => void act(() => decideLink(token, "approve"), afterState)}
                  className={`${buttonBase} bg-sky-600 text-white active:bg-sky-700`}
                >
                  {strings.approve.approve}
                </button>
              </div>
            ) : (
              <button
                type="button"
                disabled={!isHydrated || isBusy}
                onClick={() => void act(() => claimLink(token), afterState)}
                className={`${buttonBase} bg-sky-600 text-white active:bg-sky-700`}
              >
                {strings.consent.continue}
              </button>
            )}
          </div>
        </PageShell>
      );
    }
  }
}

function Ending({ view, state, endReason }: { view: LinkView; state: HandoffState; endReason: string | null }) {
  const e = strings.ended;
  switch (state) {
    case "completed":
      return <EndScreen tone="good" title={e.completed.title}>{e.completed.body(view.agentName, view.targetSite)}</EndScreen>;
    case "captured":
      return <EndScreen tone="busy" title={e.captured.title}>{e.captured.body(view.agentName, view.targetSite)}</EndScreen>;
    case "denied":
      return <EndScreen tone="neutral" title={e.denied.title}>{e.denied.body(view.agentName)}</EndScreen>;
    case "expired":
      if (endReason === "idle") return <EndScreen tone="neutral" title={e.idle.title}>{e.idle.body()}</EndScreen>;
      return <EndScreen tone="neutral" title={e.expired.title}>{e.expired.body()}</EndScreen>;
    case "cancelled":
      return <EndScreen tone="neutral" title={e.cancelled.title}>{e.cancelled.body()}</EndScreen>;
    default:
      return <EndScreen tone="bad" title={e.failed.title}>{e.failed.body()}</EndScreen>;
  }
}

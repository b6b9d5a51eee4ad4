"use client";
/**
 * The signed-in-by-you screen: trusted chrome (the remote page's real origin, back, reload) above
 * the live view, a status line, and the two ways out below. Nothing the remote page draws can
 * reach the chrome: it lives outside the canvas.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Frame } from "../../lib/protocol/stream";
import type { LinkView } from "../../lib/server/link-view";
import { LiveView } from "./live-view";
import { PhoneStream, type StreamSnapshot } from "./phone-stream";
import { SiteOrigin } from "./site-origin";
import { strings } from "./strings";

interface Props {
  view: LinkView;
  sealKey: string | null;
  onSnapshot: (snapshot: StreamSnapshot) => void;
  onCancel: () => void;
  isBusy: boolean;
}

function statusText(s: StreamSnapshot | null, hasKey: boolean): string {
  const t = strings.live.status;
  if (!hasKey) return t.missingKey;
  if (!s || s.connection === "connecting") return t.connecting;
  if (s.connection === "reconnecting") return t.reconnecting;
  if (s.phase === "signed_in" || s.state === "captured") return t.signedIn;
  if (!s.isAgentConnected && !s.hasFrame) return t.waitingForBrowser;
  if (s.notice && s.notice.kind !== "not_signed_in_yet") return s.notice.kind === "navigation_blocked" ? t.blocked(s.notice.site) : t.idpNotInScope(s.notice.site);
  if (s.notice?.kind === "not_signed_in_yet") return t.notSignedInYet;
  if (!s.hasFrame || s.phase === "loading") return t.loading;
  return t.live;
}

export function LiveScreen({ view, sealKey, onSnapshot, onCancel, isBusy }: Props) {
  const [stream, setStream] = useState<PhoneStream | null>(null);
  const [snapshot, setSnapshot] = useState<StreamSnapshot | null>(null);
  const drawRef = useRef<((frame: Frame) => Promise<void>) | null>(null);
  const onSnapshotRef = useRef(onSnapshot);
  onSnapshotRef.current = onSnapshot;

  useEffect(() => {
    if (!sealKey) return;
    const s = new PhoneStream(view.handoffId, {
      draw: (frame) => drawRef.current?.(frame) ?? Promise.resolve(),
      onChange: (next) => {
        setSnapshot(next);
        onSnapshotRef.current(next);
      },
    });
    setStream(s);
    s.start(sealKey).catch(() => setStream(null));
    return () => s.stop();
  }, [sealKey, view.handoffId]);

  const onCanvas = useCallback((draw: ((frame: Frame) => Promise<void>) | null) => {
    drawRef.current = draw;
  }, []);

  const t = strings.live;
  const page = snapshot?.page;
  const origin = page?.origin ?? view.targetOrigin;
  const isSecure = page ? page.isSecure : origin.startsWith("https:");
  const isSignedIn = snapshot?.phase === "signed_in" || snapshot?.state === "captured";

  return (
    <main className="flex h-dvh flex-col bg-neutral-50 dark:bg-neutral-950">
      <span data-testid="handoff-state" className="sr-only">
        {snapshot?.state ?? view.state}
      </span>
      <nav
        aria-label="Remote page"
        className="flex items-center gap-1 border-b border-neutral-200 bg-white px-2 pt-[max(0.375rem,env(safe-area-inset-top))] pb-1.5 dark:border-neutral-800 dark:bg-neutral-900"
      >
        <button
          type="button"
          aria-label={t.back}
          disabled={!page?.canGoBack}
          onClick={() => stream?.send({ t: "nav", action: "back" })}
          className="flex size-10 items-center justify-center rounded-full text-xl disabled:opacity-30 enabled:active:bg-neutral-200 dark:enabled:active:bg-neutral-800"
        >
          <span aria-hidden>‹</span>
        </button>
        <div
          data-testid="remote-origin"
          className="flex min-w-0 flex-1 items-center gap-1.5 rounded-full bg-neutral-100 px-3 py-2 text-sm dark:bg-neutral-800"
        >
          <span aria-hidden className={isSecure ? "text-emerald-600" : "text-amber-600"}>
            {isSecure ? "🔒" : "⚠"}
          </span>
          {!isSecure ? <span className="sr-only">{t.notSecure}</span> : null}
          <span className="truncate">
            <SiteOrigin origin={origin} site={view.targetSite} />
          </span>
        </div>
        {page?.isPopup ? (
          <button
            type="button"
            aria-label={t.closePopup}
            onClick={() => stream?.send({ t: "nav", action: "close" })}
            className="flex size-10 items-center justify-center rounded-full text-lg active:bg-neutral-200 dark:active:bg-neutral-800"
          >
            <span aria-hidden>✕</span>
          </button>
        ) : null}
        <button
          type="button"
          aria-label={t.reload}
          onClick={() => stream?.send({ t: "nav", action: "reload" })}
          className="flex size-10 items-center justify-center rounded-full text-lg active:bg-neutral-200 dark:active:bg-neutral-800"
        >
          <span aria-hidden>↻</span>
        </button>
      </nav>
      <p role="status" aria-live="polite" className="truncate px-4 py-1 text-center text-xs text-neutral-600 dark:text-neutral-400">
        {statusText(snapshot, Boolean(sealKey))}
      </p>
      <LiveView
        stream={stream}
        remoteSize={snapshot?.remoteSize ?? null}
        field={snapshot?.field ?? null}
        editables={snapshot?.editables ?? []}
        label={t.viewLabel(view.targetSite)}
        onCanvas={onCanvas}
      />
      <div className="grid grid-cols-2 gap-3 border-t border-neutral-200 bg-white px-4 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] dark:border-neutral-800 dark:bg-neutral-900">
        <button
          type="button"
          onClick={onCancel}
          disabled={isBusy}
          className="h-12 rounded-xl border border-neutral-300 text-base font-medium active:bg-neutral-100 disabled:opacity-50 dark:border-neutral-700 dark:active:bg-neutral-800"
        >
          {t.cancel}
        </button>
        <button
          type="button"
          onClick={() => stream?.send({ t: "signed_in" })}
          disabled={!snapshot?.hasFrame || isSignedIn}
          className="h-12 rounded-xl bg-sky-600 text-base font-semibold text-white active:bg-sky-700 disabled:opacity-50"
        >
          {t.signedIn}
        </button>
      </div>
    </main>
  );
}

"use client";
/**
 * The signed-in-by-you screen: trusted chrome (the remote page's real origin, back, reload, the
 * notices) beside the live view, and the two ways out. Upright, the chrome sits above and the
 * actions below; on its side, chrome and actions share one rail so the page keeps the full height.
 * Nothing the remote page draws can reach the chrome: it lives outside the canvas.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Frame } from "../../lib/protocol/stream";
import type { LinkView } from "../../lib/protocol/link-view";
import { primaryButton, secondaryButton } from "./consent-screen";
import { LiveNotice } from "./live-notice";
import { LiveView } from "./live-view";
import { PhoneStream, type StreamSnapshot } from "./phone-stream";
import { RemoteBar } from "./remote-bar";
import { strings } from "./strings";

interface Props {
  view: LinkView;
  sealKey: string | null;
  onSnapshot: (snapshot: StreamSnapshot) => void;
  onCancel: () => void;
  isBusy: boolean;
}

function statusText(s: StreamSnapshot | null): string {
  const t = strings.live.status;
  if (!s || s.connection === "connecting") return t.connecting;
  if (s.connection === "reconnecting") return t.reconnecting;
  if (s.phase === "signed_in" || s.state === "captured") return t.signedIn;
  if (!s.isAgentConnected && !s.hasFrame) return t.waitingForBrowser;
  if (!s.hasFrame || s.phase === "loading") return t.loading;
  return t.live;
}

/** In landscape every piece but the live view goes to the right-hand rail. */
const rail = "phone-landscape:col-start-2";

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
  const isSignedIn = snapshot?.phase === "signed_in" || snapshot?.state === "captured";
  // "I'm signed in" is the main action only once the page has left the login page.
  const isSignedInProminent = Boolean(snapshot?.hasLeftLogin) && !isSignedIn;

  return (
    <main className="grid h-dvh grid-cols-1 grid-rows-[auto_auto_auto_minmax(0,1fr)_auto] bg-neutral-50 phone-landscape:grid-cols-[minmax(0,1fr)_14rem] phone-landscape:grid-rows-[auto_auto_auto_minmax(0,1fr)] dark:bg-neutral-950">
      <h1 className="sr-only">{t.heading(view.targetSite)}</h1>
      <span data-testid="handoff-state" className="sr-only">
        {snapshot?.state ?? view.state}
      </span>
      <RemoteBar view={view} page={snapshot?.page ?? null} stream={stream} className={rail} />
      <div className={rail}>
        <LiveNotice snapshot={snapshot} />
      </div>
      <p role="status" aria-live="polite" className={`px-4 py-1.5 text-center text-sm text-neutral-700 dark:text-neutral-300 ${rail}`}>
        {sealKey ? statusText(snapshot) : t.missingKey.title}
      </p>
      <div className="flex min-h-0 phone-landscape:col-start-1 phone-landscape:row-span-4 phone-landscape:row-start-1">
        {sealKey ? (
          <LiveView
            stream={stream}
            remoteSize={snapshot?.remoteSize ?? null}
            field={snapshot?.field ?? null}
            editables={snapshot?.editables ?? []}
            hasFrame={snapshot?.hasFrame ?? false}
            site={view.targetSite}
            label={t.viewLabel(view.targetSite)}
            onCanvas={onCanvas}
          />
        ) : (
          <section data-testid="missing-key" className="flex flex-1 flex-col items-center justify-center gap-3 bg-white px-8 text-center dark:bg-neutral-900">
            <div
              aria-hidden
              className="flex size-14 items-center justify-center rounded-full bg-red-100 text-2xl font-bold text-red-800 dark:bg-red-900/60 dark:text-red-200"
            >
              !
            </div>
            <h2 className="text-xl font-semibold">{t.missingKey.title}</h2>
            <p className="max-w-sm text-base text-neutral-700 dark:text-neutral-300">{t.missingKey.body}</p>
          </section>
        )}
      </div>
      <div
        className={`grid grid-cols-2 gap-3 border-t border-neutral-200 bg-white px-4 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] phone-landscape:row-start-4 phone-landscape:grid-cols-1 phone-landscape:content-end phone-landscape:border-t-0 phone-landscape:border-l phone-landscape:pr-[max(1rem,env(safe-area-inset-right))] dark:border-neutral-800 dark:bg-neutral-900 ${rail}`}
      >
        <button type="button" onClick={onCancel} disabled={isBusy} className={secondaryButton}>
          {t.cancel}
        </button>
        <button
          type="button"
          data-prominent={isSignedInProminent}
          onClick={() => stream?.send({ t: "signed_in" })}
          disabled={!snapshot?.hasFrame || isSignedIn}
          className={isSignedInProminent ? primaryButton : secondaryButton}
        >
          {t.signedIn}
        </button>
      </div>
    </main>
  );
}

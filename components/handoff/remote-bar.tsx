"use client";
/** The trusted bar over the live view: the remote page's real origin, back, reload, close a popup. */
import type { LinkView } from "../../lib/protocol/link-view";
import type { PhoneStream, StreamSnapshot } from "./phone-stream";
import { SiteOrigin } from "./site-origin";
import { strings } from "./strings";

const iconButton = "flex size-11 shrink-0 items-center justify-center rounded-full text-xl active:bg-neutral-200 dark:active:bg-neutral-800";

export function RemoteBar({ view, page, stream, className }: { view: LinkView; page: StreamSnapshot["page"]; stream: PhoneStream | null; className: string }) {
  const t = strings.live;
  const origin = page?.origin ?? view.targetOrigin;
  const isSecure = page ? page.isSecure : origin.startsWith("https:");
  return (
    <nav
      aria-label="Remote page"
      className={`flex items-center gap-1 border-b border-neutral-200 bg-white px-2 pt-[max(0.375rem,env(safe-area-inset-top))] pb-1.5 phone-landscape:flex-wrap phone-landscape:border-l phone-landscape:pr-[max(0.5rem,env(safe-area-inset-right))] dark:border-neutral-800 dark:bg-neutral-900 ${className}`}
    >
      <button
        type="button"
        aria-label={t.back}
        disabled={!page?.canGoBack}
        onClick={() => stream?.send({ t: "nav", action: "back" })}
        className={`${iconButton} disabled:opacity-40`}
      >
        <span aria-hidden>‹</span>
      </button>
      <div
        data-testid="remote-origin"
        className="flex min-w-0 flex-1 items-center gap-1.5 rounded-full bg-neutral-100 px-3 py-2 text-sm phone-landscape:order-last phone-landscape:basis-full dark:bg-neutral-800"
      >
        <span aria-hidden className={isSecure ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}>
          {isSecure ? "🔒" : "⚠"}
        </span>
        {!isSecure ? <span className="sr-only">{t.notSecure}</span> : null}
        <span className="truncate">
          <SiteOrigin origin={origin} site={view.targetSite} />
        </span>
      </div>
      {page?.isPopup ? (
        <button type="button" aria-label={t.closePopup} onClick={() => stream?.send({ t: "nav", action: "close" })} className={iconButton}>
          <span aria-hidden>✕</span>
        </button>
      ) : null}
      <button type="button" aria-label={t.reload} onClick={() => stream?.send({ t: "nav", action: "reload" })} className={iconButton}>
        <span aria-hidden>↻</span>
      </button>
    </nav>
  );
}

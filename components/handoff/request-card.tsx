"use client";
/** Who asks, for which site, why, with which code, until when: the facts a person decides on. */
import type { LinkView } from "../../lib/server/link-view";
import { SiteOrigin } from "./site-origin";
import { formatClock, strings } from "./strings";

export function RequestCard({ view, msLeft }: { view: LinkView; msLeft: number | null }) {
  const t = strings.consent;
  return (
    <div className="flex flex-col gap-5">
      <div>
        <p className="text-base text-neutral-600 dark:text-neutral-400">{t.asking(view.agentName)}</p>
        <p className="mt-1 text-2xl font-semibold tracking-tight">{view.targetSite}</p>
        <p className="mt-1 text-sm">
          <SiteOrigin origin={view.targetOrigin} site={view.targetSite} />
        </p>
      </div>

      <figure className="rounded-2xl border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-900">
        <figcaption className="text-xs font-medium uppercase tracking-wide text-neutral-500">{t.reasonLabel}</figcaption>
        <blockquote className="mt-1 text-base leading-relaxed whitespace-pre-wrap break-words">{view.reason}</blockquote>
        <p className="mt-2 text-xs text-neutral-500">{t.reasonNote(view.operatorName)}</p>
      </figure>

      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-neutral-500">{t.handsOverLabel}</p>
        <p className="mt-1 text-base">{t.handsOver([view.targetSite, ...view.handOverSites], view.includesStorage)}</p>
        {view.identityProviders.length > 0 && (
          <p data-testid="identity-providers" className="mt-2 text-sm text-neutral-700 dark:text-neutral-300">
            {t.identityProviders(view.identityProviders, view.agentName, view.targetSite)}
          </p>
        )}
      </div>

      <div className="flex items-end justify-between gap-4">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-neutral-500">{t.codeLabel}</p>
          <p className="mt-1 font-mono text-3xl font-semibold tracking-widest" aria-describedby="code-hint">
            {view.confirmationCode}
          </p>
        </div>
        <p className="pb-1 text-sm tabular-nums text-neutral-600 dark:text-neutral-400" aria-live="off">
          {msLeft === null ? "\u00a0" : t.expiresIn(formatClock(msLeft))}
        </p>
      </div>
      <p id="code-hint" className="-mt-3 text-sm text-neutral-600 dark:text-neutral-400">
        {t.codeHint}
      </p>
    </div>
  );
}

"use client";
/**
 * The facts a person decides on, most important first: who is asking and for which site (large),
 * what it gets, where the sign-in may go, the code and the time left — and only then the agent's
 * own words, quoted, smaller, marked as unchecked, with nothing in them clickable.
 */
import type { LinkView } from "../../lib/protocol/link-view";
import { SiteName } from "./site-name";
import { formatClock, strings } from "./strings";

const label = "text-sm font-medium text-neutral-700 dark:text-neutral-300";

export function RequestCard({ view, msLeft }: { view: LinkView; msLeft: number | null }) {
  const t = strings.consent;
  const handOver = [view.targetSite, ...view.handOverSites];
  return (
    <div className="flex flex-col gap-4">
      <div>
        <p className={label}>{t.whoLabel}</p>
        <p data-testid="agent-name" className="text-2xl leading-tight font-semibold tracking-tight break-words">
          {view.agentName}
        </p>
      </div>
      <div>
        <p className={label}>{t.siteLabel}</p>
        <SiteName origin={view.targetOrigin} site={view.targetSite} />
      </div>

      <div>
        <p className={label}>{t.handsOverLabel}</p>
        <p className="mt-0.5 text-base">{t.handsOver(handOver, view.includesStorage)}</p>
        {view.identityProviders.length > 0 ? (
          <p data-testid="idp-note" className="mt-2 text-sm leading-relaxed text-neutral-700 dark:text-neutral-300">
            {t.identityProviders(view.identityProviders, view.agentName, view.targetSite)}
          </p>
        ) : null}
      </div>

      <div className="flex items-end justify-between gap-4">
        <div>
          <p className={label}>{t.codeLabel}</p>
          <p className="mt-0.5 font-mono text-2xl font-semibold tracking-widest" aria-describedby="code-hint">
            {view.confirmationCode}
          </p>
        </div>
        <p className="pb-1 text-sm tabular-nums text-neutral-700 dark:text-neutral-300" aria-live="off">
          {msLeft === null ? "\u00a0" : t.expiresIn(formatClock(msLeft))}
        </p>
      </div>
      <p id="code-hint" className="-mt-3 text-sm text-neutral-700 dark:text-neutral-300">
        {t.codeHint}
      </p>

      <figure className="rounded-xl border border-neutral-300 bg-neutral-100 p-3 dark:border-neutral-700 dark:bg-neutral-900">
        <figcaption className={label}>{t.reasonLabel(view.agentName)}</figcaption>
        {/* Plain text on purpose: a URL in the agent's words must not become a link. */}
        <blockquote
          data-testid="agent-reason"
          className="mt-1 text-sm leading-relaxed whitespace-pre-wrap text-neutral-800 [overflow-wrap:anywhere] dark:text-neutral-200"
        >
          “{view.reason}”
        </blockquote>
        <p className="mt-2 text-sm text-neutral-700 dark:text-neutral-300">{t.reasonNote(view.operatorName)}</p>
      </figure>
    </div>
  );
}

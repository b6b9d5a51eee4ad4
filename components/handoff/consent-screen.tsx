"use client";
/**
 * Consent (nothing claimed yet) and approval (claimed by this device): the request's facts, then
 * the two answers. Deny is on both screens. On a phone on its side the facts scroll on the left
 * while the answers stay in view on the right.
 */
import type { LinkView } from "../../lib/protocol/link-view";
import { PageShell } from "./page-shell";
import { RequestCard } from "./request-card";
import { strings } from "./strings";

export const primaryButton =
  "h-12 w-full rounded-xl bg-sky-700 text-base font-semibold text-white transition-colors active:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:text-neutral-950 dark:active:bg-sky-500";
export const secondaryButton =
  "h-12 w-full rounded-xl border border-neutral-400 bg-white text-base font-semibold text-neutral-900 transition-colors active:bg-neutral-100 disabled:opacity-60 dark:border-neutral-500 dark:bg-neutral-900 dark:text-neutral-100 dark:active:bg-neutral-800";

interface Props {
  view: LinkView;
  isApprove: boolean;
  msLeft: number | null;
  error: string | null;
  isEnabled: boolean;
  onContinue: () => void;
  onApprove: () => void;
  onDeny: () => void;
}

export function ConsentScreen({ view, isApprove, msLeft, error, isEnabled, onContinue, onApprove, onDeny }: Props) {
  return (
    <PageShell state={isApprove ? "opened" : view.state} operatorName={view.operatorName} isWide>
      <div className="flex flex-1 flex-col phone-landscape:grid phone-landscape:grid-cols-[minmax(0,1fr)_16rem] phone-landscape:gap-6">
        <div className="phone-landscape:min-h-0">
          <h1 className="pt-2 pb-4 text-lg font-semibold tracking-tight text-neutral-700 dark:text-neutral-300">
            {isApprove ? strings.approve.heading : strings.consent.heading}
          </h1>
          <RequestCard view={view} msLeft={msLeft} />
        </div>
        <div className="mt-auto flex flex-col gap-3 pt-5 phone-landscape:sticky phone-landscape:top-0 phone-landscape:mt-0 phone-landscape:self-start phone-landscape:pt-2">
          <p className="text-sm leading-relaxed text-neutral-700 dark:text-neutral-300">
            {isApprove ? strings.approve.body(view.agentName, view.targetSite) : strings.consent.whatHappens(view.agentName, view.targetSite)}
          </p>
          {error ? (
            <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
              {error}
            </p>
          ) : null}
          <div className="grid grid-cols-2 gap-3 phone-landscape:grid-cols-1">
            <button type="button" disabled={!isEnabled} onClick={onDeny} className={secondaryButton}>
              {isApprove ? strings.approve.deny : strings.consent.deny}
            </button>
            <button type="button" disabled={!isEnabled} onClick={isApprove ? onApprove : onContinue} className={primaryButton}>
              {isApprove ? strings.approve.approve : strings.consent.continue}
            </button>
          </div>
        </div>
      </div>
    </PageShell>
  );
}

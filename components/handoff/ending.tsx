"use client";
/**
 * How a handoff ended, in words a person understands: what was shared (and how to undo it) when it
 * worked, why nothing was shared when it did not, who to ask next, and a way to report the request.
 */
import type { HandoffState } from "../../lib/lifecycle/states";
import type { LinkView } from "../../lib/protocol/link-view";
import { EndScreen } from "./end-screen";
import { ReportButton } from "./report-button";
import { strings } from "./strings";

type Reason = keyof typeof strings.ended.reasons;
const isKnownReason = (reason: string | null): reason is Reason => reason !== null && Object.hasOwn(strings.ended.reasons, reason);

/** `07:04` in the phone's own time zone. */
function clockTime(iso: string | null): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

interface Props {
  view: LinkView;
  token: string;
  state: HandoffState;
  endReason: string | null;
  endedAt: string | null;
  /** The identity provider the sign-in needed, when that ended it. */
  blockedSite: string | null;
}

export function Ending({ view, token, state, endReason, endedAt, blockedSite }: Props) {
  const e = strings.ended;
  const agent = view.agentName;
  const site = view.targetSite;
  const report = <ReportButton token={token} operatorName={view.operatorName} report={{ reason: "unexpected", screen: "ended" }} />;
  switch (state) {
    case "completed":
      return (
        <EndScreen
          tone="good"
          title={e.completed.title}
          more={
            <>
              <div
                data-testid="shared-summary"
                className="max-w-sm rounded-xl border border-neutral-300 px-4 py-3 text-left text-sm leading-relaxed dark:border-neutral-700"
              >
                <p className="font-medium">{e.shared([site, ...view.handOverSites].join(", "), clockTime(endedAt))}</p>
                <p className="mt-1 text-neutral-700 dark:text-neutral-300">{e.undo(site)}</p>
              </div>
              {report}
            </>
          }
        >
          {e.completed.body(agent, site)}
        </EndScreen>
      );
    case "captured":
      return (
        <EndScreen tone="busy" title={e.captured.title}>
          {e.captured.body(agent, site)}
        </EndScreen>
      );
    case "denied":
      return (
        <EndScreen tone="neutral" title={e.denied.title} more={report}>
          {e.denied.body(agent)}
        </EndScreen>
      );
    case "expired": {
      const words = endReason === "idle" ? e.idle : e.expired;
      return (
        <EndScreen tone="neutral" title={words.title} more={report}>
          {words.body(agent)}
        </EndScreen>
      );
    }
    case "cancelled":
      return (
        <EndScreen tone="neutral" title={e.cancelled.title} more={report}>
          {e.cancelled.body()}
        </EndScreen>
      );
    default: {
      const words = isKnownReason(endReason) ? e.reasons[endReason] : null;
      return (
        <EndScreen tone="bad" title={words?.title ?? e.failed.title} more={report}>
          {words ? words.body(agent, site, blockedSite) : e.failed.body(agent)}
        </EndScreen>
      );
    }
  }
}

/**
 * What the handoff's browser refused. The page's own requests come first, each labelled as a
 * navigation (the page tried to go there: a tapped link, a redirect) or a subresource (something
 * the page tried to load). Chromium's background traffic is grouped apart and quiet: it is the
 * browser talking to its own services, not the person or the site doing anything.
 */
import type { BlockedKind, BlockedRequest } from "../../lib/dashboard/blocked-requests";
import { formatTime, humanize } from "./format";
import { Panel } from "./stat-card";

export const BLOCKED_KIND_LABELS: Record<BlockedKind, string> = {
  navigation: "Navigation",
  subresource: "Subresource",
  background: "Browser background traffic",
};

const KIND_STYLES: Record<Exclude<BlockedKind, "background">, string> = {
  navigation: "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800",
  subresource: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800",
};

function Row({ request, testId, children }: { request: BlockedRequest; testId: string; children?: React.ReactNode }) {
  return (
    <li data-testid={testId} className="flex items-center gap-2 text-sm">
      {children}
      <span className="min-w-0 flex-1 truncate" title={request.origin}>
        {request.origin}
      </span>
      <span className="shrink-0 text-xs tabular-nums text-muted" title={`${humanize(request.reason)} at ${request.at}`}>
        {formatTime(request.at)}
      </span>
    </li>
  );
}

export function BlockedRequestsPanel({ blocked }: { blocked: BlockedRequest[] }) {
  const fromPage = blocked.filter((b) => b.kind !== "background");
  const background = blocked.filter((b) => b.kind === "background");
  return (
    <Panel title="Blocked requests">
      {fromPage.length === 0 ? (
        <p className="text-sm text-muted">The page made no request outside its allowed sites.</p>
      ) : (
        <ul className="space-y-1.5">
          {fromPage.map((b, i) => (
            <Row key={`${b.at}-${i}`} request={b} testId="blocked-page">
              <span
                className={`inline-flex w-24 shrink-0 justify-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${KIND_STYLES[b.kind as "navigation" | "subresource"]}`}
              >
                {BLOCKED_KIND_LABELS[b.kind]}
              </span>
            </Row>
          ))}
        </ul>
      )}
      {background.length > 0 ? (
        <div role="group" aria-labelledby="blocked-background" className="mt-4 border-t border-neutral-100 pt-3 dark:border-neutral-800">
          <h3 id="blocked-background" className="text-xs font-semibold">
            Browser background traffic
          </h3>
          <p className="mt-0.5 text-xs text-muted">Chromium&apos;s own services, kept out as well. Not something the page or the person did.</p>
          <ul className="mt-2 space-y-1 text-muted">
            {background.map((b, i) => (
              <Row key={`${b.at}-${i}`} request={b} testId="blocked-background" />
            ))}
          </ul>
        </div>
      ) : null}
    </Panel>
  );
}

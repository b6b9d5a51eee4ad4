/** One handoff: what was asked, where its time went, its audit timeline, device, cookies, policy. */
import Link from "next/link";
import { notFound } from "next/navigation";
import { BlockedRequestsPanel } from "../../../../../components/dashboard/blocked-requests-panel";
import { CancelHandoffButton } from "../../../../../components/dashboard/cancel-handoff-button";
import { formatFull, formatNumber, humanize, shortId } from "../../../../../components/dashboard/format";
import { LiveRefresh } from "../../../../../components/dashboard/live-refresh";
import { EmptyState, Panel } from "../../../../../components/dashboard/stat-card";
import { StatusBadge } from "../../../../../components/dashboard/status-badge";
import { StepBar } from "../../../../../components/dashboard/step-bar";
import { Timeline } from "../../../../../components/dashboard/timeline";
import { WebhookDeliveries } from "../../../../../components/dashboard/webhook-deliveries";
import { queryHandoffDetail } from "../../../../../lib/dashboard/handoff-detail.query";
import { isTerminal } from "../../../../../lib/lifecycle/states";
import { getServices } from "../../../../../lib/server/published-services";
import { requireOperatorPage } from "../../../current-operator";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="truncate text-sm font-medium">{children}</dd>
    </div>
  );
}

export default async function HandoffDetailPage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperatorPage();
  const { id } = await params;
  const detail = await queryHandoffDetail(getServices().db, id);
  if (!detail) notFound();
  const s = detail.summary;

  return (
    <>
      <LiveRefresh handoffId={s.id} intervalMs={300} />
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-muted">
        <Link href="/dashboard/handoffs" className="underline-offset-2 hover:underline">
          Handoffs
        </Link>{" "}
        / <span className="font-mono">{s.id}</span>
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex items-center gap-3">
            <StatusBadge state={s.state} />
            <h1 className="truncate text-2xl font-semibold tracking-tight">
              <bdi>{s.agentName}</bdi> → {s.targetSite}
            </h1>
          </div>
          <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
            {s.endReason ? `Ended: ${humanize(s.endReason)}` : "In progress"} · created {formatFull(s.createdAt)} UTC · agent{" "}
            {/* The agent's short id: two agents may share a name. */}
            <Link href={`/dashboard/handoffs?agent=${s.agentId}`} title={s.agentId} className="font-mono underline underline-offset-2">
              {shortId(s.agentId)}
            </Link>
          </p>
        </div>
        {!isTerminal(s.state) ? <CancelHandoffButton handoffId={s.id} agentName={s.agentName} /> : null}
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Panel title="Where the time went">
            <StepBar summary={s} />
          </Panel>
          <Panel title="Timeline">
            <Timeline events={detail.timeline} />
          </Panel>
        </div>
        <div className="space-y-4">
          <Panel title="Request">
            <dl className="grid grid-cols-2 gap-3">
              <Fact label="Target">{detail.loginUrlOrigin}</Fact>
              <Fact label="End user">
                <bdi>{s.endUserRef ?? "—"}</bdi>
              </Fact>
              <Fact label="Link expires">{formatFull(detail.expiresAt)}</Fact>
              <Fact label="Confirmation code">{detail.confirmationCodeHint}</Fact>
              <Fact label="Success rule">{detail.successKind}</Fact>
              <Fact label="Identity providers (visited)">{detail.identityProviders.join(", ") || "none"}</Fact>
              <Fact label="Also handed over">{detail.handOverSites.join(", ") || "none"}</Fact>
            </dl>
            <div className="mt-3">
              <div className="text-xs text-muted">Agent&apos;s reason, as shown to the user</div>
              <p className="mt-0.5 text-sm break-words whitespace-pre-wrap">
                <bdi>{detail.reason}</bdi>
              </p>
            </div>
          </Panel>
          <Panel title="Device">
            {detail.device ? <p className="text-sm">{detail.device}</p> : <p className="text-sm text-muted">Not opened yet.</p>}
            {detail.reuseAttempts > 0 ? (
              <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                Another device tried to open this link {formatNumber(detail.reuseAttempts)}×.
              </p>
            ) : null}
            {detail.deviceIp ? (
              <p className="mt-1 font-mono text-sm" data-testid="device-ip">
                {detail.deviceIp}
              </p>
            ) : null}
            <p className="mt-2 text-xs text-muted">
              {detail.deviceIp
                ? "Browser and OS family, and the address the link was claimed from (RECORD_DEVICE_IP is on)."
                : "Browser and OS family only. Baton keeps no IP address unless RECORD_DEVICE_IP is on, and never the full user agent."}
            </p>
          </Panel>
          <Panel title="Cookies handed over">
            {detail.cookies.length === 0 ? (
              <p className="text-sm text-muted">None{isTerminal(s.state) ? "." : " yet."}</p>
            ) : (
              <table className="w-full table-fixed text-sm" data-testid="cookie-table">
                <caption className="sr-only">Cookie names and domains; values never reach Baton.</caption>
                <thead className="text-left text-xs text-muted">
                  <tr>
                    <th scope="col" className="pb-1 font-medium">
                      Name
                    </th>
                    <th scope="col" className="pb-1 font-medium">
                      Domain
                    </th>
                    <th scope="col" className="w-20 pb-1 font-medium">
                      Flags
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {detail.cookies.map((c) => (
                    <tr key={`${c.domain}|${c.path}|${c.name}`} className="border-t border-neutral-100 dark:border-neutral-800">
                      <td className="truncate py-1 font-mono text-xs" title={c.name}>
                        {c.name}
                      </td>
                      <td className="truncate py-1 text-xs" title={c.domain}>
                        {c.domain}
                      </td>
                      <td className="py-1 text-xs text-muted">
                        {[c.httpOnly ? "HttpOnly" : null, c.secure ? "Secure" : null].filter(Boolean).join(" ") || "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="mt-2 text-xs text-muted">Names and domains only: cookie values stay in the agent&apos;s process.</p>
          </Panel>
          <Panel title="Webhook deliveries">
            <WebhookDeliveries deliveries={detail.webhookDeliveries} />
            <p className="mt-2 text-xs text-muted">Signed events to the agent&apos;s backend, retried with backoff. They never carry the link.</p>
          </Panel>
          <BlockedRequestsPanel blocked={detail.blocked} />
        </div>
      </div>
      {detail.timeline.length === 0 ? <EmptyState title="No audit events recorded for this handoff" /> : null}
    </>
  );
}

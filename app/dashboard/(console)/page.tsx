/** Overview: what is happening now and how handoffs have gone over a chosen range. */
import Link from "next/link";
import { FailureBars } from "../../../components/dashboard/charts/failure-bars";
import { HandoffsChart } from "../../../components/dashboard/charts/handoffs-chart";
import { SignInHistogram } from "../../../components/dashboard/charts/sign-in-histogram";
import { formatDuration, formatNumber, formatPercent } from "../../../components/dashboard/format";
import { LiveRefresh } from "../../../components/dashboard/live-refresh";
import { EmptyState, PageHeader, Panel, StatCard } from "../../../components/dashboard/stat-card";
import { OverviewQuerySchema, queryOverview, RANGES, type RangeKey } from "../../../lib/dashboard/overview.query";
import { getServices } from "../../../lib/server/published-services";
import { requireOperatorPage } from "../current-operator";

const RANGE_LABELS: Record<RangeKey, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOperatorPage();
  const { range } = OverviewQuerySchema.parse(await searchParams);
  const services = getServices();
  const o = await queryOverview(services.db, services.clock.now(), range);

  return (
    <>
      <LiveRefresh />
      <PageHeader title="Overview">
        <nav aria-label="Range" className="flex rounded-md border border-neutral-300 p-0.5 text-sm dark:border-neutral-700">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <Link
              key={r}
              href={`/dashboard?range=${r}`}
              aria-current={r === range ? "page" : undefined}
              className={`rounded px-3 py-1 focus-visible:outline-2 focus-visible:outline-sky-600 ${r === range ? "bg-neutral-900 text-white dark:bg-white dark:text-neutral-900" : "text-neutral-600 hover:text-neutral-900 dark:text-neutral-400"}`}
            >
              {RANGE_LABELS[r]}
            </Link>
          ))}
        </nav>
      </PageHeader>

      <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
        {/* Every state still moving counts here, not only `live`: so it says the group's own word. */}
        <StatCard
          label="In progress now"
          testId="stat-live"
          value={formatNumber(o.liveNow)}
          hint={
            <Link className="underline-offset-2 hover:underline" href="/dashboard/handoffs?status=active">
              See them
            </Link>
          }
        />
        <StatCard label="Today (UTC)" testId="stat-today" value={formatNumber(o.today)} hint="handoffs created" />
        <StatCard label="Success rate" value={formatPercent(o.successRate)} hint={`${formatNumber(o.completed)} of ${formatNumber(o.ended)} ended`} />
        <StatCard label="Median to open" value={formatDuration(o.medians.openMs)} hint="link sent → opened" />
        <StatCard label="Median to approve" value={formatDuration(o.medians.approveMs)} hint="opened → approved" />
        <StatCard label="Median to sign in" value={formatDuration(o.medians.signInMs)} hint="approved → signed in" />
      </div>

      {o.total === 0 ? (
        <div className="mt-6">
          <EmptyState title={`No handoffs in the last ${RANGE_LABELS[range]}`}>
            When an agent hits a login wall and asks for a handoff, it shows up here as it happens. Register an agent on the{" "}
            <Link className="underline" href="/dashboard/agents">
              Agents
            </Link>{" "}
            page, or run <code className="rounded bg-neutral-100 px-1 dark:bg-neutral-800">npm run demo</code>.
          </EmptyState>
        </div>
      ) : (
        <div className="mt-6 grid gap-4 md:grid-cols-2 lg:grid-cols-3">
          <Panel title={`Handoffs over the last ${RANGE_LABELS[range]}`} className="md:col-span-2">
            <HandoffsChart buckets={o.series.buckets} bucketMs={o.series.bucketMs} />
          </Panel>
          <Panel title="Time to sign in">
            <SignInHistogram buckets={o.signInHistogram} />
            <p className="mt-2 text-xs text-muted">
              From approval to the session being captured. Median {formatDuration(o.medians.signInMs)}; whole handoff {formatDuration(o.medians.totalMs)}.
            </p>
          </Panel>
          <Panel title="Did not complete, by reason" className="lg:col-span-3">
            {o.failures.length === 0 ? (
              <p className="text-sm text-muted">Every handoff that ended in this range completed.</p>
            ) : (
              <FailureBars failures={o.failures} />
            )}
          </Panel>
        </div>
      )}
    </>
  );
}

/** Handoff history: filters in the URL, keyset pages, rows that update live. */
import Link from "next/link";
import { HistoryFilters } from "../../../../components/dashboard/history-filters";
import { HistoryTable } from "../../../../components/dashboard/history-table";
import { EmptyState, PageHeader } from "../../../../components/dashboard/stat-card";
import { queryFilterOptions } from "../../../../lib/dashboard/filter-options.query";
import { HistoryQuerySchema, queryHistory } from "../../../../lib/dashboard/history.query";
import { getServices } from "../../../../lib/server/published-services";
import { requireOperatorPage } from "../../current-operator";

type SearchParams = Record<string, string | string[] | undefined>;

function flatten(params: SearchParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : Array.isArray(v) && v[0] ? [[k, v[0]]] : [])));
}

const pager =
  "rounded-md border border-neutral-300 px-3 py-1.5 text-sm font-medium hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-neutral-700 dark:hover:bg-neutral-900";

export default async function HandoffsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperatorPage();
  const services = getServices();
  const raw = flatten(await searchParams);
  const parsed = HistoryQuerySchema.safeParse(raw);
  const options = await queryFilterOptions(services.db);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Handoffs" />
        <EmptyState title="These filters are not valid">
          {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.{" "}
          <Link className="underline" href="/dashboard/handoffs">
            Clear the filters
          </Link>
        </EmptyState>
      </>
    );
  }
  const query = parsed.data;
  const page = await queryHistory(services.db, query);
  const filters = { status: query.status, agent: query.agent, site: query.site, from: query.from, to: query.to, q: query.q, size: query.size };
  const base = new URLSearchParams(Object.entries(filters).flatMap(([k, v]) => (v ? [[k, String(v)]] : [])));
  const queryString = base.toString();
  const link = (cursor: Record<string, string>) => `/dashboard/handoffs?${new URLSearchParams([...base, ...Object.entries(cursor)]).toString()}`;
  const isFirstPage = !query.after && !query.before;
  const hasFilters = Boolean(query.status || query.agent || query.site || query.from || query.to || query.q);

  return (
    <>
      <PageHeader title="Handoffs" />
      <HistoryFilters values={filters} options={options} />
      <HistoryTable
        key={`${queryString}|${query.after ?? ""}|${query.before ?? ""}`}
        initialRows={page.rows}
        initialTotal={page.total}
        isFirstPage={isFirstPage}
        queryString={queryString}
        hasFilters={hasFilters}
      />
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between">
        <div className="flex gap-2">
          {page.newerCursor ? (
            <>
              <Link className={pager} href={link({})}>
                Newest
              </Link>
              <Link className={pager} href={link({ before: page.newerCursor })} rel="prev">
                ← Newer
              </Link>
            </>
          ) : null}
        </div>
        {page.olderCursor ? (
          <Link className={pager} href={link({ after: page.olderCursor })} rel="next">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}

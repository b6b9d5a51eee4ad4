/** The audit log: filters, pages by sequence number, chain verification and export. */
import Link from "next/link";
import { AuditFilters } from "../../../../components/dashboard/audit-filters";
import { AuditTable } from "../../../../components/dashboard/audit-table";
import { ExportAuditButtons } from "../../../../components/dashboard/export-audit-buttons";
import { EmptyState, PageHeader } from "../../../../components/dashboard/stat-card";
import { VerifyChainButton } from "../../../../components/dashboard/verify-chain-button";
import { AuditQuerySchema, queryAudit } from "../../../../lib/dashboard/audit.query";
import { getServices } from "../../../../lib/server/published-services";
import { requireOperatorPage } from "../../current-operator";

type SearchParams = Record<string, string | string[] | undefined>;
const pager =
  "rounded-md border border-neutral-300 px-3 py-1.5 text-sm font-medium hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-neutral-700 dark:hover:bg-neutral-900";

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperatorPage();
  const raw = Object.fromEntries(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  const parsed = AuditQuerySchema.safeParse(raw);
  const header = (
    <PageHeader title="Audit log">
      <ExportAuditButtons className={pager} />
    </PageHeader>
  );
  if (!parsed.success) {
    return (
      <>
        {header}
        <EmptyState title="These filters are not valid">
          {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.{" "}
          <Link className="underline" href="/dashboard/audit">
            Clear the filters
          </Link>
        </EmptyState>
      </>
    );
  }
  const q = parsed.data;
  const page = await queryAudit(getServices().db, q);
  const filters = { actor: q.actor, decision: q.decision, action: q.action, handoff: q.handoff, agent: q.agent, from: q.from, to: q.to };
  const base = Object.entries(filters).flatMap(([k, v]) => (v ? [[k, v]] : []));
  const link = (extra: Record<string, string>) => `/dashboard/audit?${new URLSearchParams([...base, ...Object.entries(extra)]).toString()}`;

  return (
    <>
      {header}
      <div className="mb-4 rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-900">
        <p className="mb-3 text-sm text-neutral-600 dark:text-neutral-400">
          Each row carries the hash of the one before it. Verifying walks the whole chain and names every row that was edited, removed or reordered.
        </p>
        <VerifyChainButton />
      </div>
      <AuditFilters values={filters} />
      {page.rows.length === 0 ? <EmptyState title="No audit events match these filters" /> : <AuditTable rows={page.rows} />}
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between">
        <div className="flex gap-2">
          {page.newerAbove !== null ? (
            <>
              <Link className={pager} href={link({})}>
                Newest
              </Link>
              <Link className={pager} href={link({ above: String(page.newerAbove) })} rel="prev">
                ← Newer
              </Link>
            </>
          ) : null}
        </div>
        {page.olderBelow !== null ? (
          <Link className={pager} href={link({ below: String(page.olderBelow) })} rel="next">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}

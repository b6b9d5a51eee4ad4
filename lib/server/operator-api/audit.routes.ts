/** The audit log from the dashboard: pages with filters, chain verification, export. */
import { once } from "node:events";
import { AuditQuerySchema, queryAudit } from "../../dashboard/audit.query";
import { type ChainVerdictResponse, EmptyRequestSchema, ExportAuditRequestSchema } from "../../protocol/operator-api";
import { exportAudit } from "../../audit/export-audit";
import { verifyChain } from "../../audit/verify-chain";
import { readJson, sendJson } from "../http-json";
import { requireOperator, requireOperatorMutation } from "../operator-auth";
import { parseQuery, type Route } from "./route";

const list: Route["handler"] = async ({ req, res, services }) => {
  await requireOperator(req, services);
  sendJson(res, 200, await queryAudit(services.db, parseQuery(req, AuditQuerySchema)));
};

/** A POST: the check itself is recorded in the log it checks. */
const verify: Route["handler"] = async ({ req, res, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  await readJson(req, EmptyRequestSchema);
  const started = performance.now();
  const verdict = await verifyChain(services.db);
  const tookMs = Math.round(performance.now() - started);
  await services.audit.append({
    actor: "operator",
    operatorId: session.operatorId,
    action: "audit.verified",
    decision: "info",
    reason: verdict.ok ? "intact" : `broken_${verdict.problem}`,
    details: { rows: verdict.rows, ...(verdict.ok ? {} : { breakCount: verdict.breakCount, firstBrokenSeq: verdict.brokenAt }) },
  });
  sendJson(res, 200, { ...verdict, tookMs, checkedAt: services.clock.now().toISOString() } satisfies ChainVerdictResponse);
};

/**
 * A POST with the CSRF token, like every other change: an export writes its own audit row, so a
 * GET (a link, a prefetch, an <img> on another site) must not be able to cause one.
 */
const download: Route["handler"] = async ({ req, res, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const { format } = await readJson(req, ExportAuditRequestSchema);
  await services.audit.append({ actor: "operator", operatorId: session.operatorId, action: "audit.exported", decision: "info", details: { format } });
  const stamp = services.clock.now().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  res.writeHead(200, {
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="baton-audit-${stamp}.${format}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  for await (const line of exportAudit(services.db, format)) {
    if (!res.write(`${line}\n`)) await once(res, "drain");
  }
  res.end();
};

export const auditRoutes: Route[] = [
  { method: "GET", pattern: /^\/api\/dashboard\/audit$/, handler: list },
  { method: "POST", pattern: /^\/api\/dashboard\/audit\/verify$/, handler: verify },
  { method: "POST", pattern: /^\/api\/dashboard\/audit\/export$/, handler: download },
];

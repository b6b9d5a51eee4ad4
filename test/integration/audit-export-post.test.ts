/**
 * The audit export writes an audit row, so it is a state change: a POST with Baton's own Origin
 * and the session's CSRF token. A GET (a link, a prefetch, an <img> on another site) exports
 * nothing and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "export-operator-pw-2Lp6";
let server: TestServer;
let op: OperatorClient;
const exportRows = () => server.services.db.auditEvent.count({ where: { action: "audit.exported" } });

beforeAll(async () => {
  server = await startTestServer();
  await server.services.operators.create({ email: "export-ops@example.com", password: PASSWORD });
  op = new OperatorClient(server.url);
  expect((await op.signIn("export-ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("audit export", () => {
  it("refuses a GET, a POST without the CSRF token and a POST from another origin, writing no row", async () => {
    expect((await op.get("/api/dashboard/audit/export?format=jsonl")).status).toBe(405);
    expect((await op.post("/api/dashboard/audit/export", { format: "csv" }, { csrf: false })).json.error.code).toBe("CROSS_SITE_REQUEST");
    const foreign = new OperatorClient(server.url, "http://127.0.0.1:1");
    foreign.cookie = op.cookie;
    foreign.csrfToken = op.csrfToken;
    expect((await foreign.post("/api/dashboard/audit/export", { format: "csv" })).json.error.code).toBe("CROSS_SITE_REQUEST");
    expect(await exportRows()).toBe(0);
  });

  it("exports on a same-origin POST with the CSRF token, and records the export once", async () => {
    const exported = await op.post("/api/dashboard/audit/export", { format: "jsonl" });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment; filename="baton-audit-[\d-]+\.jsonl"$/);
    // The whole chain, in order, ending with the export's own row.
    const lines = exported.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: number; action: string });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)?.action).toBe("audit.exported");
    expect(await exportRows()).toBe(1);
    expect((await op.post("/api/dashboard/audit/export", { format: "xlsx" })).status).toBe(400);
  });
});

/**
 * Issue 14.6: a malformed percent-escape was a 500 before any authentication, with an error log
 * line each. Every place a request's path, query or cookie is decoded answers 400
 * MALFORMED_ENCODING (or, for a cookie, reads it as absent), logs no error, and lets nothing
 * through to the pages (Next's handler is stood in for by a recorder here).
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiRouter } from "../../lib/server/api-router";
import { createOperatorRouter } from "../../lib/server/operator-router";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4982";
const PASSWORD = "escapes-operator-pw-3Kd8";
let server: TestServer;
let apiKey: string;
let op: OperatorClient;
const pageRequests: string[] = [];

/** The malformed spellings: a truncated sequence, a bare `%`, an encoded lone surrogate, a bad continuation byte. */
const MALFORMED = ["%E0", "%", "%ED%A0%80", "%C3%28"];

/** Every route of the agent, link and operator APIs that takes a path parameter. */
const PARAM_ROUTES: [string, (bad: string) => string][] = [
  ["GET", (bad) => `/api/handoffs/${bad}`],
  ["POST", (bad) => `/api/handoffs/${bad}/report`],
  ["POST", (bad) => `/api/handoffs/${bad}/blocked`],
  ["POST", (bad) => `/api/link/${bad}/claim`],
  ["POST", (bad) => `/api/link/${bad}/decision`],
  ["POST", (bad) => `/api/link/${bad}/report`],
  ["GET", (bad) => `/api/dashboard/handoffs/${bad}`],
  ["POST", (bad) => `/api/dashboard/handoffs/${bad}/cancel`],
  ["POST", (bad) => `/api/dashboard/agents/${bad}/scope`],
  ["POST", (bad) => `/api/dashboard/agents/${bad}/rotate`],
  ["POST", (bad) => `/api/dashboard/agents/${bad}/revoke`],
  ["POST", (bad) => `/api/dashboard/agents/${bad}/webhook/rotate`],
];

async function send(method: string, path: string, headers: Record<string, string> = {}, base = server.url) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { origin: server.url, ...(method === "POST" ? { "content-type": "application/json" } : {}), ...headers },
    body: method === "POST" ? "{}" : undefined,
  });
  const text = await response.text();
  return { status: response.status, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code };
}

const errorLines = () => server.logLines.filter((l) => (JSON.parse(l) as { level: string }).level === "error");

beforeAll(async () => {
  server = await startTestServer({
    pages: (req, res) => {
      pageRequests.push(req.url ?? "");
      res.writeHead(200, { "content-type": "text/html" }).end("<p>page</p>");
    },
  });
  apiKey = (await server.createAgent([TARGET])).apiKey;
  await server.services.operators.create({ email: "escapes-ops@example.com", password: PASSWORD });
  op = new OperatorClient(server.url);
  expect((await op.signIn("escapes-ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("malformed escapes", () => {
  it("answers a malformed escape in any path — agent, link, dashboard API and pages — with 400 MALFORMED_ENCODING before authentication, and reads one in a cookie as no cookie", async () => {
    const routes: [string, (bad: string) => string][] = [...PARAM_ROUTES, ["GET", (bad) => `/h/${bad}`], ["GET", (bad) => `/dashboard/handoffs/${bad}`]];
    for (const [method, route] of routes) {
      for (const bad of MALFORMED) {
        const withAuth = { authorization: `Bearer ${apiKey}`, cookie: op.cookie, "x-baton-csrf": op.csrfToken };
        expect(await send(method, route(bad)), `${method} ${route(bad)}`).toEqual({ status: 400, code: "MALFORMED_ENCODING" });
        expect(await send(method, route(bad), withAuth), `${method} ${route(bad)} authenticated`).toEqual({ status: 400, code: "MALFORMED_ENCODING" });
      }
    }
    // The cookie readers (device seal, operator seal) read a malformed escape as no cookie.
    const created = await fetch(new URL("/api/handoffs", server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }),
    });
    const { token } = (await created.json()) as { token: string };
    for (const bad of MALFORMED) {
      const claim = await fetch(new URL(`/api/link/${token}/claim`, server.url), {
        method: "POST",
        headers: { origin: server.url, "content-type": "application/json", cookie: `baton-device=${bad}` },
        body: "{}",
      });
      expect(claim.status, bad).not.toBe(500);
      expect(
        claim.headers.getSetCookie().some((c) => c.startsWith("baton-device=Fe26")),
        bad,
      ).toBe(true);
      expect(await send("GET", "/api/dashboard/overview", { cookie: `baton-operator=${bad}` }), bad).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    }
    expect(pageRequests).toEqual([]);
    expect(errorLines()).toEqual([]);
  });

  it("answers a malformed escape in a query string with 400 instead of reading it as U+FFFD", async () => {
    for (const bad of MALFORMED) {
      for (const path of [
        `/api/dashboard/audit?action=${bad}`,
        `/api/dashboard/handoffs?q=${bad}`,
        `/api/dashboard/overview?range=${bad}`,
        `/h/${"a".repeat(43)}?x=${bad}`,
        `/dashboard?${bad}=1`,
      ]) {
        expect(await send("GET", path, { cookie: op.cookie }), path).toEqual({ status: 400, code: "MALFORMED_ENCODING" });
      }
    }
    // Well-formed escapes still decode: a search for "é" is a search, not a refusal.
    expect((await send("GET", "/api/dashboard/handoffs?q=%C3%A9", { cookie: op.cookie })).status).toBe(200);
    expect(pageRequests).toEqual([]);
    expect(errorLines()).toEqual([]);
  });
});

/** One of the server's routers on a bare HTTP server of its own: no request-target gate in front. */
async function listenBare(listener: RequestListener): Promise<{ url: string; http: Server }> {
  const http = createServer(listener);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, http };
}

describe("the routers on their own", () => {
  it("refuse a malformed escape in every route family's path parameter with 400 MALFORMED_ENCODING, even with no gate in front", async () => {
    const api = await listenBare(createApiRouter(server.services));
    const operator = await listenBare(createOperatorRouter(server.services));
    try {
      for (const [method, route] of PARAM_ROUTES) {
        const base = route("x").startsWith("/api/dashboard/") ? operator.url : api.url;
        for (const bad of MALFORMED) {
          const withAuth = { authorization: `Bearer ${apiKey}`, cookie: op.cookie, "x-baton-csrf": op.csrfToken };
          expect(await send(method, route(bad), withAuth, base), `${method} ${route(bad)}`).toEqual({ status: 400, code: "MALFORMED_ENCODING" });
        }
      }
      expect(errorLines()).toEqual([]);
    } finally {
      await new Promise((resolve) => api.http.close(resolve));
      await new Promise((resolve) => operator.http.close(resolve));
    }
  });

  it("answer HEAD and OPTIONS on a known path with 405 naming the allowed methods, and an unknown path with 404", async () => {
    for (const [method, path, allow] of [
      ["HEAD", "/api/handoffs/hnd_0000000000000000", "GET"],
      ["OPTIONS", "/api/handoffs", "POST"],
      ["OPTIONS", "/api/dashboard/agents", "GET, POST"],
    ]) {
      const response = await fetch(new URL(path, server.url), { method });
      expect([response.status, response.headers.get("allow")], `${method} ${path}`).toEqual([405, allow]);
    }
    expect(await send("GET", "/api/handoffs/x/nothing")).toEqual({ status: 404, code: "NOT_FOUND" });
    expect(await send("GET", "/api/dashboard/nothing")).toEqual({ status: 404, code: "NOT_FOUND" });
  });
});

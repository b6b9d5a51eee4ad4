/**
 * Every refusal, from every surface, is a body of the one error contract with a code from the
 * error table — including the 404 and 405 answers of the routers, the 404 of a server without
 * pages and the 500 of a page that throws — and the SDK reads a code it does not know as UNKNOWN.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorBodySchema } from "../../lib/protocol/errors";
import { ApiClient } from "../../worker/api-client";
import { BatonApiError } from "../../worker/errors";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let bare: TestServer;

async function answer(base: TestServer, method: string, path: string) {
  const response = await fetch(new URL(path, base.url), { method, headers: { origin: base.url } });
  const body = ErrorBodySchema.parse(await response.json());
  return { status: response.status, code: body.error.code, allow: response.headers.get("allow") };
}

beforeAll(async () => {
  server = await startTestServer({
    pages: () => {
      throw new Error("template blew up at /dashboard?secret=1");
    },
  });
  bare = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
});

describe("one error contract", () => {
  it("answers unknown paths and wrong methods of both APIs from the error table, naming the allowed methods", async () => {
    expect(await answer(server, "GET", "/api/nothing-here")).toEqual({ status: 404, code: "NOT_FOUND", allow: null });
    expect(await answer(server, "GET", "/api/operator/nothing-here")).toEqual({ status: 404, code: "NOT_FOUND", allow: null });
    expect(await answer(server, "DELETE", "/api/handoffs")).toEqual({ status: 405, code: "METHOD_NOT_ALLOWED", allow: "POST" });
    expect(await answer(server, "GET", "/api/link/x/claim")).toEqual({ status: 405, code: "METHOD_NOT_ALLOWED", allow: "POST" });
    expect(await answer(server, "DELETE", "/api/dashboard/overview")).toEqual({ status: 405, code: "METHOD_NOT_ALLOWED", allow: "GET" });
  });

  it("answers a page that throws with INTERNAL, and logs the failure without the page's words reaching the answer", async () => {
    const response = await fetch(new URL("/dashboard", server.url));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(ErrorBodySchema.parse(JSON.parse(text)).error.code).toBe("INTERNAL");
    expect(text).not.toContain("secret");
    expect(server.logLines.filter((l) => l.includes('"error"') && l.includes("template blew up"))).toHaveLength(1);
  });

  it("answers page paths of a server without pages with NOT_FOUND", async () => {
    expect(await answer(bare, "GET", "/dashboard")).toEqual({ status: 404, code: "NOT_FOUND", allow: null });
  });
});

describe("the SDK's reading of refusals", () => {
  it("types a known code, reads a newer server's code as UNKNOWN and a body without Baton's error as HTTP_ERROR", async () => {
    const bodies = [
      { status: 403, body: JSON.stringify({ error: { code: "ORIGIN_NOT_ALLOWED", message: "no" } }) },
      { status: 403, body: JSON.stringify({ error: { code: "PASSKEY_REQUIRED", message: "Use your passkey." } }) },
      { status: 502, body: "<html>bad gateway</html>" },
    ];
    const stub = createServer((_req, res) => {
      const next = bodies.shift()!;
      res.writeHead(next.status, { "content-type": "application/json" }).end(next.body);
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const api = new ApiClient(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`, "bat_x");
      const errors: unknown[] = [];
      for (let i = 0; i < 3; i++) errors.push(await api.status("hnd_0000000000000000").catch((e: unknown) => e));
      expect(errors.map((e) => (e instanceof BatonApiError ? [e.code, e.status, e.message] : e))).toEqual([
        ["ORIGIN_NOT_ALLOWED", 403, "no"],
        ["UNKNOWN", 403, "Use your passkey."],
        ["HTTP_ERROR", 502, "HTTP 502"],
      ]);
    } finally {
      await new Promise((resolve) => stub.close(resolve));
    }
  });

  it("makes a call the server answered BUSY again after its Retry-After, and gives up with BUSY after three", async () => {
    const busy = JSON.stringify({ error: { code: "BUSY", message: "The server is busy; try again in a few seconds." } });
    const status = JSON.stringify({ id: "hnd_0000000000000000", state: "pending" });
    let answers: { status: number; body: string }[] = [];
    const seen: number[] = [];
    const stub = createServer((_req, res) => {
      seen.push(performance.now());
      const next = answers.shift()!;
      res.writeHead(next.status, { "content-type": "application/json", ...(next.status === 503 ? { "retry-after": "0" } : {}) }).end(next.body);
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const api = new ApiClient(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`, "bat_x");
      answers = [
        { status: 503, body: busy },
        { status: 503, body: busy },
        { status: 200, body: status },
      ];
      // The answer parses or fails on the schema: either way it was the third call that was read.
      await api.status("hnd_0000000000000000").catch(() => undefined);
      expect(seen).toHaveLength(3);
      expect(answers).toHaveLength(0);
      seen.length = 0;
      answers = [0, 1, 2, 3].map(() => ({ status: 503, body: busy }));
      const error = await api.status("hnd_0000000000000000").catch((e: unknown) => e);
      expect(error instanceof BatonApiError && [error.code, error.status]).toEqual(["BUSY", 503]);
      expect(seen).toHaveLength(3);
    } finally {
      await new Promise((resolve) => stub.close(resolve));
    }
  });
});

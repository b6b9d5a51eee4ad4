/**
 * Rows are parsed once, at the store boundary: a row whose state or JSON column does not parse is
 * refused as an internal error wherever it is read, instead of travelling on as an unchecked cast.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4983";
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  apiKey = (await server.createAgent([TARGET])).apiKey;
});
afterAll(async () => server?.close());

async function createHandoff(): Promise<{ id: string }> {
  const response = await fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Statements" }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

async function status(id: string) {
  const response = await fetch(new URL(`/api/handoffs/${id}`, server.url), { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: response.status, text: await response.text() };
}

describe("rows at the store boundary", () => {
  it("answers a handoff whose state column holds no lifecycle state with 500 INTERNAL, not with the stored word", async () => {
    const { id } = await createHandoff();
    expect((await status(id)).status).toBe(200);
    await server.services.db.handoff.update({ where: { id }, data: { state: "half-approved" } });
    const answer = await status(id);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "INTERNAL" } });
    expect(answer.text).not.toContain("half-approved");
  });

  it("answers a handoff whose cookie metadata is not the declared list with 500 INTERNAL", async () => {
    const { id } = await createHandoff();
    await server.services.db.handoff.update({ where: { id }, data: { cookieMeta: JSON.stringify([{ name: "sid", value: "the-cookie-value" }]) } });
    const answer = await status(id);
    expect(answer.status).toBe(500);
    expect(answer.text).not.toContain("the-cookie-value");
    expect(server.logLines.join("\n")).not.toContain("the-cookie-value");
  });
});

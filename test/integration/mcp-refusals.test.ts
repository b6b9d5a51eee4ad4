/**
 * The MCP tools refuse what cannot work with an answer a model can act on, before any handoff
 * exists: no browser configured, a page pattern that is not a regular expression, a handoff the
 * session never started. Server and client are wired in memory (the stdio path is in mcp-server.test.ts).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignInServer } from "../../lib/mcp/sign-in-server";
import { BatonClient } from "../../worker";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let baton: BatonClient;

beforeAll(async () => {
  server = await startTestServer();
  baton = new BatonClient({ serverUrl: server.url, apiKey: (await server.createAgent(["http://127.0.0.1:9"])).apiKey });
});
afterAll(async () => server?.close());

async function clientFor(cdpEndpoint: string | undefined) {
  const signIn = createSignInServer({ baton, cdpEndpoint, version: "test" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await signIn.server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  return { client, close: () => Promise.all([client.close(), signIn.close()]) };
}

describe("MCP tool refusals", () => {
  it("offers both tools with their arguments described", async () => {
    const { client, close } = await clientFor(undefined);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["request_human_sign_in", "wait_for_human_sign_in"]);
    const request = tools.find((t) => t.name === "request_human_sign_in")!;
    expect(request.inputSchema.required).toEqual(["reason"]);
    expect(Object.keys(request.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(["page", "loginUrl", "endUserRef", "successUrl"]));
    await close();
  });

  it("refuses a sign-in when no browser endpoint is configured", async () => {
    const { client, close } = await clientFor(undefined);
    const result = await client.callTool({ name: "request_human_sign_in", arguments: { reason: "Read the balance" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("--cdp <endpoint> or BATON_CDP_ENDPOINT");
    expect(await server.services.db.handoff.count()).toBe(0);
    await close();
  });

  it("refuses a page pattern that is not a regular expression, and an unknown handoff to wait for", async () => {
    const { client, close } = await clientFor("http://127.0.0.1:9");
    const bad = await client.callTool({ name: "request_human_sign_in", arguments: { reason: "Read the balance", page: "(" } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain("valid regular expressions");
    const unknown = await client.callTool({ name: "wait_for_human_sign_in", arguments: { handoffId: "hnd_unknown" } });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain("no sign-in request hnd_unknown is waiting");
    expect(await server.services.db.handoff.count()).toBe(0);
    await close();
  });
});

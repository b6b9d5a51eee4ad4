/**
 * `npm run baton -- mcp` driven by the MCP SDK's own Client over stdio (StdioClientTransport spawns
 * the command), against a Chromium reachable over CDP, a real Baton server and the demo site, with
 * the phone played from Node — once with a client that declares URL-mode elicitation, once without.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitationCompleteNotificationSchema, ElicitRequestSchema, type ElicitRequestURLParams } from "@modelcontextprotocol/sdk/types.js";
import { chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadLinkView } from "../../lib/server/link-view";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { type CdpChromium, startCdpChromium } from "../helpers/cdp-chromium";
import type { NodePhone } from "../helpers/node-phone";
import { signInOnPhone } from "../helpers/phone-sign-in";
import { startTestServer, type TestServer } from "../helpers/test-server";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let server: TestServer;
let site: DemoSite;
let apiKey: string;
let agentBrowser: CdpChromium | undefined;
let client: Client | undefined;

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), startDemoSite()]);
  apiKey = (await server.createAgent([site.origin])).apiKey;
});
afterEach(async () => {
  await client?.close();
  await agentBrowser?.close();
  client = agentBrowser = undefined;
});
afterAll(async () => {
  await site?.close();
  await server?.close();
});

async function connect(capabilities: ConstructorParameters<typeof Client>[1]): Promise<Client> {
  agentBrowser = await startCdpChromium(`${site.url}/account`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", path.join(ROOT, "lib/cli/main.ts"), "mcp", "--cdp", agentBrowser.endpoint],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", BATON_SERVER_URL: server.url, BATON_API_KEY: apiKey },
    stderr: "pipe",
  });
  client = new Client({ name: "baton-test-client", version: "1.0.0" }, capabilities);
  await client.connect(transport);
  return client;
}

/** The agent's browser, seen from a fresh CDP connection: its page reads the protected data. */
async function agentCookieValue(): Promise<string> {
  const browser = await chromium.connectOverCDP(agentBrowser!.endpoint);
  const context = browser.contexts()[0];
  const value = (await context.cookies(site.url)).find((c) => c.name === "demo_session")?.value ?? "";
  const page = context.pages()[0];
  await page.goto(`${site.url}/account`);
  expect(await page.locator("#protected-data").textContent()).toBe("Balance: 1,234.56 EUR");
  await browser.close();
  return value;
}

const ARGS = { reason: "Read the balance", page: "/login", successUrl: "/account" };

describe("the MCP server", () => {
  it("sends the link by URL-mode elicitation with the phone's code, waits, and reports completion", async () => {
    const mcp = await connect({ capabilities: { elicitation: { url: {} } } });
    const elicitations: ElicitRequestURLParams[] = [];
    const completed: string[] = [];
    const codesOnPhone: string[] = [];
    let phone: Promise<NodePhone> | undefined;
    mcp.setRequestHandler(ElicitRequestSchema, async (request) => {
      if (request.params.mode !== "url") return { action: "decline" };
      elicitations.push(request.params);
      const token = new URL(request.params.url).pathname.split("/").pop()!;
      codesOnPhone.push((await loadLinkView(server.services, token, null))!.confirmationCode);
      phone = signInOnPhone(server.url, request.params.url, site);
      return { action: "accept" };
    });
    mcp.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => void completed.push(n.params.elicitationId));

    const result = await mcp.callTool({ name: "request_human_sign_in", arguments: ARGS }, undefined, { timeout: 90_000 });
    (await phone!).close();
    expect(elicitations).toHaveLength(1);
    expect(elicitations[0].url).toMatch(new RegExp(`^${server.url}/h/[^#]+#k=`));
    expect(elicitations[0].message).toContain(codesOnPhone[0]);
    expect(completed).toEqual([elicitations[0].elicitationId]);
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toMatchObject({ status: "completed", cookies: [{ name: "demo_session", domain: "127.0.0.1" }] });
    const text = JSON.stringify(result.content);
    expect(text).toContain("The person signed in");
    expect(text).toContain("demo_session");
    expect(text).not.toContain(elicitations[0].url); // the link went to the person, not to the model
    expect(text).not.toContain(await agentCookieValue());
  }, 120_000);

  it("cancels the handoff when the person declines to open the link, and still completes the elicitation", async () => {
    const mcp = await connect({ capabilities: { elicitation: { url: {} } } });
    const completed: string[] = [];
    let elicitationId = "";
    mcp.setRequestHandler(ElicitRequestSchema, async (request) => {
      if (request.params.mode === "url") elicitationId = request.params.elicitationId;
      return { action: "decline" };
    });
    mcp.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => void completed.push(n.params.elicitationId));
    const result = await mcp.callTool({ name: "request_human_sign_in", arguments: ARGS }, undefined, { timeout: 60_000 });
    expect(result.structuredContent).toMatchObject({ status: "cancelled", reason: "declined_in_client" });
    expect(JSON.stringify(result.content)).toContain("The person declined to open the sign-in link");
    expect(completed).toEqual([elicitationId]);
    const { handoffId } = result.structuredContent as { handoffId: string };
    expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id: handoffId } })).state).toBe("cancelled");
  }, 60_000);

  it("without URL mode returns the link and code for the model, and wait_for_human_sign_in reports the outcome", async () => {
    const mcp = await connect({ capabilities: {} });
    const progress: string[] = [];
    // The client SDK hands notifications on a microtask but settles a response at once: a progress
    // notification read in the same chunk as the result finds its handler gone and is reported
    // through onerror instead (seen under load). It did arrive before the result; count it there too.
    mcp.onerror = (error) => {
      if (error.message.startsWith("Received a progress notification for an unknown token")) progress.push(error.message);
    };
    const asked = await mcp.callTool({ name: "request_human_sign_in", arguments: ARGS }, undefined, {
      timeout: 60_000,
      onprogress: (p) => void progress.push(p.message ?? ""),
    });
    const waiting = asked.structuredContent as { status: string; handoffId: string; url: string; code: string };
    expect(waiting.status).toBe("waiting");
    // The link also goes out as a progress notification, before the result.
    await expect.poll(() => progress.some((m) => m.includes(waiting.url) && m.includes(waiting.code)), { timeout: 10_000 }).toBe(true);
    const text = JSON.stringify(asked.content);
    expect(text).toContain(waiting.url);
    expect(text).toContain(waiting.code);
    expect(text).toContain("wait_for_human_sign_in");

    const stillWaiting = await mcp.callTool({ name: "wait_for_human_sign_in", arguments: { handoffId: waiting.handoffId, waitSeconds: 1 } });
    expect(stillWaiting.structuredContent).toMatchObject({ status: "waiting", state: "pending" });
    const phone = await signInOnPhone(server.url, waiting.url, site);
    const done = await mcp.callTool({ name: "wait_for_human_sign_in", arguments: { handoffId: waiting.handoffId, waitSeconds: 60 } }, undefined, {
      timeout: 90_000,
    });
    phone.close();
    expect(done.structuredContent).toMatchObject({
      status: "completed",
      handoffId: waiting.handoffId,
      cookies: [{ name: "demo_session", domain: "127.0.0.1" }],
    });
    expect(JSON.stringify(done.content)).toContain("The person signed in");
    expect(JSON.stringify(done.content)).not.toContain(await agentCookieValue());
  }, 120_000);

  it("cancels a sign-in still waiting when the client goes away", async () => {
    const mcp = await connect({ capabilities: {} });
    const asked = await mcp.callTool({ name: "request_human_sign_in", arguments: ARGS }, undefined, { timeout: 60_000 });
    const { handoffId } = asked.structuredContent as { handoffId: string };
    await mcp.close();
    client = undefined;
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    expect(row.state).toBe("cancelled");
  }, 60_000);
});

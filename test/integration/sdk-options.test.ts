/**
 * `handoff()` refuses what cannot work before it asks the server for anything: options without
 * `onLink` (or with a malformed rule), and pages of a browser other than Chromium. No Firefox or
 * WebKit is installed on the test machines, so the foreign page is a stub that answers only what
 * `handoff()` asks of it — its browser's type name.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatonClient, BatonError, type HandoffOptions } from "../../worker";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let baton: BatonClient;

beforeAll(async () => {
  server = await startTestServer();
  const { apiKey } = await server.createAgent(["http://127.0.0.1:9"]);
  baton = new BatonClient({ serverUrl: server.url, apiKey });
});
afterAll(async () => server?.close());

function pageOf(browserName: string): Page {
  const browser = { browserType: () => ({ name: () => browserName }) };
  const stub = { context: () => ({ browser: () => browser }), url: () => "http://127.0.0.1:9/login" };
  return stub as unknown as Page;
}

async function refusal(run: () => Promise<unknown>): Promise<BatonError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatonError);
  return error as BatonError;
}

describe("handoff() refuses at once", () => {
  it("refuses options without onLink, naming it, and creates nothing", async () => {
    const options = { reason: "Read statements" } as unknown as HandoffOptions;
    const error = await refusal(() => baton.handoff(pageOf("chromium"), options));
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toMatch(/onLink: .*function/);
    expect(await server.services.db.handoff.count()).toBe(0);
  });

  it("names every bad option: an empty reason and a success rule of no known kind", async () => {
    const options = { reason: " ", onLink: () => undefined, success: { path: "/account" } } as unknown as HandoffOptions;
    const error = await refusal(() => baton.handoff(pageOf("chromium"), options));
    expect(error.message).toContain("reason:");
    expect(error.message).toContain("success: must be one of { url }, { selector }, { cookie }");
  });

  it.each(["firefox", "webkit"])("refuses a %s page with a clear error, before creating a handoff", async (name) => {
    const error = await refusal(() => baton.handoff(pageOf(name), { reason: "Read statements", onLink: () => undefined }));
    expect(error.code).toBe("UNSUPPORTED_BROWSER");
    expect(error.message).toContain(`needs a Chromium page (this one is ${name})`);
    expect(await server.services.db.handoff.count()).toBe(0);
  });
});

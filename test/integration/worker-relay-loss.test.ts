/**
 * Every way the worker can lose the relay settles `handoff()` with a typed error in bounded time:
 * a protocol version mismatch (saying which side is too old), a refusal at the handshake, and a
 * relay that goes away and stays away. Before, Socket.IO's silence on middleware refusals left
 * `handoff()` waiting past the link's own expiry.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseReasons } from "../../lib/protocol/events";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { launchChromium } from "../../worker/demo/chromium";
import { BatonClient, HandoffFailed } from "../../worker";
import { startTestServer, type TestServer } from "../helpers/test-server";

let browser: Browser;
let site: Server;
let origin: string;

beforeAll(async () => {
  browser = await launchChromium();
  site = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<title>login</title><input type=password>"));
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  site?.close();
});

async function withServer<T>(run: (server: TestServer, apiKey: string) => Promise<T>): Promise<T> {
  const server = await startTestServer();
  try {
    const { apiKey } = await server.createAgent([origin]);
    return await run(server, apiKey);
  } finally {
    await server.close().catch(() => undefined);
  }
}

async function handoffAgainst(server: TestServer, apiKey: string) {
  const page = await (await browser.newContext()).newPage();
  const startedAt = Date.now();
  let handoffId = "";
  const result = new BatonClient({ serverUrl: server.url, apiKey }).handoff(page, {
    reason: "x",
    loginUrl: `${origin}/login`,
    onLink: (l) => void (handoffId = l.handoffId),
  });
  const error = await result.then(
    () => null,
    (e: Error) => e,
  );
  await page.context().close();
  return { error, elapsedMs: Date.now() - startedAt, handoffId };
}

describe("the relay's handshake answers", () => {
  it("names which side is too old when protocol versions differ", async () => {
    await withServer(async (server, apiKey) => {
      const { id } = await server.services.handoffs.create((await server.services.agents.authenticate(apiKey))!, {
        loginUrl: `${origin}/login`,
        reason: "x",
        identityProviders: [],
        handOverSites: [],
        successKind: "none",
        includeStorage: false,
      });
      const refusal = (protocolVersion: number) =>
        new Promise<string>((resolve) => {
          const socket = io(server.url, { transports: ["websocket"], reconnection: false, auth: { role: "agent", protocolVersion, handoffId: id, apiKey } });
          socket.once("connect_error", (e) => resolve(e.message));
          socket.once("connect", () => resolve("connected"));
        });
      expect(await refusal(PROTOCOL_VERSION - 1)).toBe(CloseReasons.CLIENT_TOO_OLD);
      expect(await refusal(PROTOCOL_VERSION + 1)).toBe(CloseReasons.SERVER_TOO_OLD);
      expect(await refusal(PROTOCOL_VERSION)).toBe("connected");
    });
  });
});

describe("handoff() settles when the relay refuses or goes away", () => {
  for (const [refusal, reason, words] of [
    [CloseReasons.CLIENT_TOO_OLD, "sdk_too_old", /update the SDK/],
    [CloseReasons.SERVER_TOO_OLD, "server_too_old", /update the server/],
    [CloseReasons.FORBIDDEN, "relay_lost", /refused the worker \(forbidden\)/],
    [CloseReasons.ORIGIN, "relay_lost", /origin_not_allowed/],
  ] as const) {
    it(`rejects with HandoffFailed (${reason}) at once when the relay answers ${refusal}`, async () => {
      await withServer(async (server, apiKey) => {
        // A relay that refuses every worker socket at the handshake, after Baton's own checks pass.
        server.baton.io.use((socket, next) => next(socket.handshake.auth.role === "agent" ? new Error(refusal) : undefined));
        const { error, elapsedMs, handoffId } = await handoffAgainst(server, apiKey);
        expect(error).toBeInstanceOf(HandoffFailed);
        expect((error as HandoffFailed).reason).toBe(reason);
        expect(error?.message).toMatch(words);
        // Well inside the 20 s loss timeout: the refusal itself settled it, not the timer (and not the link's expiry).
        expect(elapsedMs).toBeLessThan(15_000);
        // The server heard it too: the handoff is over, not left waiting for its deadline.
        const row = await server.services.store.findById(handoffId);
        expect([row?.state, row?.endReason]).toEqual(["failed", reason]);
      });
    });
  }

  it("rejects with HandoffFailed (relay_lost) once the relay stays unreachable past the timeout", async () => {
    const server = await startTestServer();
    const { apiKey } = await server.createAgent([origin]);
    const page = await (await browser.newContext()).newPage();
    let onLinkAt = 0;
    const result = new BatonClient({ serverUrl: server.url, apiKey, relayLossTimeoutMs: 1_500 })
      .handoff(page, { reason: "x", loginUrl: `${origin}/login`, onLink: () => void (onLinkAt = Date.now()) })
      .then(
        () => null,
        (e: Error) => e,
      );
    await expect.poll(() => onLinkAt).toBeGreaterThan(0);
    // The whole server goes away: the relay, the REST API, everything.
    await server.close();
    const error = await result;
    expect(error).toBeInstanceOf(HandoffFailed);
    expect((error as HandoffFailed).reason).toBe("relay_lost");
    expect(Date.now() - onLinkAt).toBeLessThan(10_000);
    await page.context().close();
  });
});

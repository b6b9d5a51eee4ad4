/**
 * The worker SDK against a real server, a real Chromium and the demo site, with the phone played
 * from Node over the real relay: frames flow sealed, input applies, cookies move, metadata only.
 */
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { launchChromium } from "../../worker/demo/chromium";
import { BatonClient, HandoffCancelled, type HandoffLink } from "../../worker";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let site: DemoSite;
let browser: Browser;
let apiKey: string;
const relayed: Buffer[] = [];

beforeAll(async () => {
  server = await startTestServer();
  site = await startDemoSite();
  browser = await launchChromium();
  apiKey = (await server.createAgent([site.origin], { maxConcurrent: 10 })).apiKey;
  // Record every byte the relay forwards, to prove it only ever carries ciphertext.
  server.baton.io.on("connection", (socket) => socket.onAnyOutgoing((_event, payload) => payload instanceof Uint8Array && relayed.push(Buffer.from(payload))));
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
});

function deferredLink() {
  let resolve!: (l: HandoffLink) => void;
  return { promise: new Promise<HandoffLink>((r) => (resolve = r)), onLink: (l: HandoffLink) => resolve(l) };
}

async function tapField(phone: NodePhone, selector: string) {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await page.goto(`${site.url}/login`);
  const box = (await page.locator(selector).boundingBox())!;
  await page.context().close();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await phone.send({ t: "pointer", phase: "down", pointerType: "touch", x, y });
  await phone.send({ t: "pointer", phase: "up", pointerType: "touch", x, y });
}

describe("worker handoff over the relay", () => {
  it("streams sealed frames, applies touch and typing, and hands over only the site's session", async () => {
    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${site.url}/account`);
    const link = deferredLink();
    const states: string[] = [];
    const handoff = new BatonClient({ serverUrl: server.url, apiKey }).handoff(agentPage, {
      reason: "Read statements",
      success: { url: /\/account/ },
      onLink: link.onLink,
      onStateChange: (s) => states.push(s),
    });
    const { url } = await link.promise;
    const phone = new NodePhone(server.url, url);
    const claimed = await phone.claim();
    await phone.decide("approve");
    await phone.connect(claimed.json.handoffId);
    await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
    await phone.waitFor(() => phone.frames.length > 0, 15_000, "first frame");
    expect(phone.frames[0].image[0]).toBe(0xff); // a JPEG, decrypted on the phone only
    expect(phone.messages.find((m) => m.t === "viewport")).toEqual({ t: "viewport", width: 390, height: 844 });
    const page = await phone.waitFor(() => phone.messages.find((m) => m.t === "page"), 5000, "page info");
    expect(page).toMatchObject({ origin: site.origin, isSecure: false });

    await tapField(phone, "#username");
    const focus = await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field), 5000, "focus message");
    expect(focus).toMatchObject({ field: { autocomplete: "username" } });
    await phone.send({ t: "text", text: site.username });
    await tapField(phone, "#password");
    await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.type === "password"), 5000, "password focus");
    await phone.send({ t: "text", text: site.password });
    await phone.send({ t: "key", key: "Enter", shift: false });
    await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.autocomplete === "one-time-code"), 10_000, "code field");
    await phone.send({ t: "text", text: site.currentCode() });
    await phone.send({ t: "key", key: "Enter", shift: false });

    const result = await handoff;
    expect(result).toMatchObject({ status: "completed", detectedBy: "rule", cookies: [{ name: "demo_session", domain: "127.0.0.1" }] });
    expect(states).toEqual(expect.arrayContaining(["approved", "live", "completed"]));
    await agentPage.goto(`${site.url}/account`);
    expect(await agentPage.locator("#protected-data").textContent()).toBe("Balance: 1,234.56 EUR");

    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: claimed.json.handoffId } });
    expect(row.state).toBe("completed");
    const cookieValue = (await agentPage.context().cookies()).find((c) => c.name === "demo_session")!.value;
    expect(row.cookieMeta).toContain("demo_session");
    expect(row.cookieMeta).not.toContain(cookieValue);
    for (const bytes of relayed) {
      expect(bytes.includes(site.password)).toBe(false);
      expect(bytes.includes(cookieValue)).toBe(false);
    }
    expect(relayed.some((b) => b.length > 2000)).toBe(true); // frames did pass, as ciphertext
    expect(result.timings.linkReadyMs).toBeGreaterThan(0);

    // After its task the agent signs out: exactly the handed-over cookies go, and that is on the record.
    await agentPage.context().addCookies([{ name: "agent_own", value: "keep", url: site.url }]);
    await result.release();
    const left = await agentPage.context().cookies();
    expect(left.map((c) => c.name)).toEqual(["agent_own"]);
    await agentPage.goto(`${site.url}/account`);
    expect(new URL(agentPage.url()).pathname).toBe("/login");
    const released = await server.services.db.auditEvent.findMany({ where: { handoffId: claimed.json.handoffId, action: { contains: "released" } } });
    expect(released).toHaveLength(1);
    phone.close();
    await agentPage.context().close();
  });

  it("cancels when the agent aborts, and the phone hears it", async () => {
    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${site.url}/login`);
    const link = deferredLink();
    const controller = new AbortController();
    const handoff = new BatonClient({ serverUrl: server.url, apiKey }).handoff(agentPage, { reason: "x", onLink: link.onLink, signal: controller.signal });
    const phone = new NodePhone(server.url, (await link.promise).url);
    const claimed = await phone.claim();
    await phone.connect(claimed.json.handoffId);
    controller.abort();
    await expect(handoff).rejects.toBeInstanceOf(HandoffCancelled);
    await phone.waitFor(() => phone.states.includes("cancelled"), 5000, "cancelled state");
    phone.close();
    await agentPage.context().close();
  });

  it("refuses a phone socket without the bound device cookie, and an agent socket with a bad key", async () => {
    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${site.url}/login`);
    const link = deferredLink();
    const controller = new AbortController();
    const handoff = new BatonClient({ serverUrl: server.url, apiKey }).handoff(agentPage, { reason: "x", onLink: link.onLink, signal: controller.signal });
    handoff.catch(() => undefined);
    const l = await link.promise;
    const owner = new NodePhone(server.url, l.url);
    await owner.claim();
    const stranger = new NodePhone(server.url, l.url);
    await expect(stranger.connect(l.handoffId)).rejects.toThrow("forbidden");
    const { io } = await import("socket.io-client");
    const bad = io(server.url, {
      transports: ["websocket"],
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: l.handoffId, apiKey: `bat_${"y".repeat(43)}` },
    });
    const error = await new Promise<Error>((resolve) => bad.once("connect_error", resolve));
    expect(error.message).toBe("unauthenticated");
    bad.disconnect();
    controller.abort();
    await agentPage.context().close();
  });
});

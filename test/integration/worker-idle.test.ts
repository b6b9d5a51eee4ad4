/**
 * The idle timeout counts input, not traffic: a phone left open on a page that keeps repainting
 * still acks every frame, yet nobody is there. The worker, which opens the stream, reports `idle`.
 */
import type { Browser } from "playwright";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BatonClient, HandoffExpired, type HandoffLink } from "../../worker";
import { launchChromium } from "../../worker/demo/chromium";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let site: DemoSite;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ env: { SESSION_IDLE_SECONDS: "10" } });
  site = await startDemoSite();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
});

it("ends a session whose phone only acks frames, with no touch or key, as idle", async () => {
  const { apiKey } = await server.createAgent([site.origin]);
  const agentPage = await (await browser.newContext()).newPage();
  await agentPage.goto(`${site.url}/login`);
  let deliver!: (link: HandoffLink) => void;
  const link = new Promise<HandoffLink>((r) => (deliver = r));
  const handoff = new BatonClient({ serverUrl: server.url, apiKey }).handoff(agentPage, { reason: "Read statements", onLink: deliver });
  const expired = expect(handoff).rejects.toBeInstanceOf(HandoffExpired);
  const phone = new NodePhone(server.url, (await link).url);
  const claimed = await phone.claim();
  await phone.decide("approve");
  await phone.connect(claimed.json.handoffId);
  await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
  await phone.waitFor(() => phone.frames.length > 0, 15_000, "first frame");
  // Traffic without a person: an ack every 200 ms, as for a page with a blinking caret.
  const acks = setInterval(() => void phone.send({ t: "frame_ack", seq: phone.frames.at(-1)?.seq ?? 0 }).catch(() => undefined), 200);
  try {
    await phone.waitFor(() => phone.states.includes("expired"), 20_000, "expired state");
  } finally {
    clearInterval(acks);
  }
  await expired;
  const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: claimed.json.handoffId } });
  expect(row).toMatchObject({ state: "expired", endReason: "idle" });
  phone.close();
}, 40_000);

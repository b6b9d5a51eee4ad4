/**
 * A live session ends when the phone goes quiet: no input, no frame acks, or no phone at all for
 * SESSION_IDLE_SECONDS. Activity keeps it open; the absolute cap still applies.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4996";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { SESSION_IDLE_SECONDS: "60" } });
  ({ apiKey } = await server.createAgent([TARGET]));
});
afterAll(() => server.close());

async function livePhone(): Promise<{ id: string; phone: NodePhone }> {
  const response = await fetch(`${server.url}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
  });
  const created = (await response.json()) as { id: string; linkPath: string };
  const phone = new NodePhone(server.url, `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`);
  await phone.claim();
  await phone.decide("approve");
  await phone.connect(created.id);
  return { id: created.id, phone };
}

const stateOf = async (id: string) => server.services.db.handoff.findUniqueOrThrow({ where: { id } });
const settle = () => new Promise((r) => setTimeout(r, 500));

it("keeps a session open while the phone is active, and ends it as idle once it goes quiet", async () => {
  const { id, phone } = await livePhone();
  for (let i = 0; i < 3; i++) {
    offsetMs += 40_000;
    await phone.send({ t: "frame_ack", seq: i + 1 });
    await settle();
    expect((await stateOf(id)).state).toBe("approved");
  }
  offsetMs += 61_000;
  await phone.waitFor(() => phone.states.includes("expired"), 3000, "expired state");
  expect(await stateOf(id)).toMatchObject({ state: "expired", endReason: "idle" });
  phone.close();
});

it("ends the session as idle when the phone disconnects and does not come back", async () => {
  const { id, phone } = await livePhone();
  phone.close();
  offsetMs += 30_000;
  await server.baton.sweepNow();
  expect((await stateOf(id)).state).toBe("approved");
  offsetMs += 31_000;
  await server.baton.sweepNow();
  expect(await stateOf(id)).toMatchObject({ state: "expired", endReason: "idle" });
});

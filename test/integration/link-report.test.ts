/**
 * "Report this request": whoever holds a link can tell the operator about it. The report is an
 * audit row (`link.reported`, with the handoff's agent) and changes nothing else; it is refused
 * cross-site, for unknown links and for anything but the fixed words.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4998";
let server: TestServer;
let apiKey: string;
let agentId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey, agentId } = await server.createAgent([TARGET]));
});
afterAll(() => server.close());

async function newLink(): Promise<{ id: string; phone: NodePhone }> {
  const response = await fetch(`${server.url}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "URGENT — your account will be suspended" }),
  });
  const created = (await response.json()) as { id: string; linkPath: string };
  return { id: created.id, phone: new NodePhone(server.url, `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`) };
}

it("records a report of a link as link.reported with its agent, and leaves the handoff as it was", async () => {
  const { id, phone } = await newLink();
  const sent = await phone.post(`/api/link/${phone.token}/report`, { reason: "unexpected", screen: "consent" });
  expect(sent).toMatchObject({ status: 200, json: { ok: true } });
  const row = await server.services.db.auditEvent.findFirstOrThrow({ where: { handoffId: id, action: "link.reported" } });
  expect(row).toMatchObject({ actor: "end_user", decision: "info", reason: "unexpected", agentId });
  expect(JSON.parse(row.details ?? "{}")).toMatchObject({ screen: "consent", state: "pending" });
  expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id } })).state).toBe("pending");

  // A person on another device than the one that claimed it may report too: that is when it matters.
  const claimer = new NodePhone(server.url, phone.link);
  await claimer.claim();
  expect((await phone.post(`/api/link/${phone.token}/report`, { reason: "used_by_someone_else", screen: "in_use" })).status).toBe(200);
  expect(await server.services.db.auditEvent.count({ where: { handoffId: id, action: "link.reported" } })).toBe(2);
});

it("refuses reports from another site, for unknown links and with words outside the list", async () => {
  const { id, phone } = await newLink();
  const crossSite = await phone.post(`/api/link/${phone.token}/report`, { reason: "unexpected", screen: "consent" }, "https://evil.example");
  expect(crossSite).toMatchObject({ status: 403, json: { error: { code: "CROSS_SITE_REQUEST" } } });
  const unknown = await phone.post(`/api/link/${"Z".repeat(43)}/report`, { reason: "unexpected", screen: "consent" });
  expect(unknown).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });
  const freeText = await phone.post(`/api/link/${phone.token}/report`, { reason: "Visit https://evil.example now", screen: "consent" });
  expect(freeText).toMatchObject({ status: 400, json: { error: { code: "BAD_REQUEST" } } });
  const extra = await phone.post(`/api/link/${phone.token}/report`, { reason: "unexpected", screen: "consent", note: "hi" });
  expect(extra.status).toBe(400);
  expect(await server.services.db.auditEvent.count({ where: { handoffId: id, action: "link.reported" } })).toBe(0);
});

it("takes a report of an ended link only from the device that used it; anyone else gets the one answer for unusable links", async () => {
  const { id, phone } = await newLink();
  await phone.claim();
  await phone.decide("deny");
  const stranger = new NodePhone(server.url, phone.link);
  const refused = await stranger.post(`/api/link/${phone.token}/report`, { reason: "unexpected", screen: "ended" });
  expect(refused).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });
  expect((await phone.post(`/api/link/${phone.token}/report`, { reason: "unexpected", screen: "ended" })).status).toBe(200);
  expect(await server.services.db.auditEvent.count({ where: { handoffId: id, action: "link.reported" } })).toBe(1);
});

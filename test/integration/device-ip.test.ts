/** The claiming device's IP address is kept only when the operator turns RECORD_DEVICE_IP on. */
import { afterEach, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { queryHandoffDetail } from "../../lib/dashboard/handoff-detail.query";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4995";
let server: TestServer | undefined;
afterEach(() => server?.close());

async function claimedHandoff(env: Record<string, string>) {
  server = await startTestServer({ env });
  const { apiKey } = await server.createAgent([TARGET]);
  const created = (await (
    await fetch(`${server.url}/api/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
    })
  ).json()) as { id: string; linkPath: string };
  const phone = new NodePhone(server.url, `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`);
  expect((await phone.claim()).status).toBe(200);
  return queryHandoffDetail(server.services.db, created.id);
}

it("keeps no IP address by default: the operator sees the browser and OS family only", async () => {
  const detail = await claimedHandoff({});
  expect(detail?.device).toBeTruthy();
  expect(detail?.deviceIp).toBeNull();
});

it("shows the claiming address when RECORD_DEVICE_IP is on", async () => {
  const detail = await claimedHandoff({ RECORD_DEVICE_IP: "true" });
  expect(detail?.deviceIp).toBe("127.0.0.1");
});

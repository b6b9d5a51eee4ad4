/**
 * Issue 14.10: a link must not tell an unknown token from one that was used or has expired. Every
 * link route (the page's view, claim, each decision, the other methods and paths under the link
 * API) gives the same status and body for every such token, whoever asks — a stranger's device
 * or the device the link was bound to.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { loadLinkView } from "../../lib/server/link-view";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4983";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let server: TestServer;
let apiKey: string;

interface Kind {
  token: string;
  /** The device that claimed the link, when one did. */
  holder: NodePhone | null;
}
const kinds: Record<string, Kind> = {};

async function agentPost(path: string, body: unknown) {
  const r = await fetch(new URL(path, server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(r.status, path).toBeLessThan(300);
  return await r.json();
}

async function issue(ttlSeconds?: number) {
  const h = (await agentPost("/api/handoffs", { loginUrl: `${TARGET}/`, reason: "Read statements", ...(ttlSeconds ? { ttlSeconds } : {}) })) as {
    id: string;
    token: string;
    linkPath: string;
  };
  return { ...h, phone: new NodePhone(server.url, `${server.url}${h.linkPath}#k=${toBase64Url(randomSealKey())}`) };
}

const stranger = (token: string) => new NodePhone(server.url, `${server.url}/h/${token}#k=x`);

/** What a route answers, minus the device cookie every phone POST may set. */
async function answer(phone: NodePhone, route: string) {
  if (route === "claim") return phone.claim();
  if (route.startsWith("decision:")) return phone.decide(route.slice("decision:".length) as "approve" | "deny" | "cancel");
  const [method, sub] = route.split(" ");
  const r = await fetch(new URL(`/api/link/${phone.token}/${sub}`, server.url), {
    method,
    headers: { origin: server.url, "content-type": "application/json" },
    body: method === "POST" ? "{}" : undefined,
  });
  return { status: r.status, json: await r.json() };
}

beforeAll(async () => {
  server = await startTestServer({ clock, env: { RATE_CLAIMS_PER_MINUTE: "1000", RATE_CREATES_PER_MINUTE: "200" } });
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 20 })).apiKey;
  kinds.unknown = { token: toBase64Url(randomBytes(32)), holder: null };
  kinds.malformed = { token: "not-a-link-token", holder: null };

  const completed = await issue();
  await completed.phone.claim();
  await completed.phone.decide("approve");
  for (const event of [{ event: "live" }, { event: "captured", cookies: [] }, { event: "completed" }])
    await agentPost(`/api/handoffs/${completed.id}/report`, event);
  kinds.completed = { token: completed.token, holder: completed.phone };

  const denied = await issue();
  await denied.phone.claim();
  await denied.phone.decide("deny");
  kinds.denied = { token: denied.token, holder: denied.phone };

  const cancelled = await issue();
  await cancelled.phone.claim();
  await agentPost(`/api/handoffs/${cancelled.id}/report`, { event: "cancelled" });
  kinds.cancelledByAgent = { token: cancelled.token, holder: cancelled.phone };

  const expiredUnclaimed = await issue(10);
  kinds.expiredUnclaimed = { token: expiredUnclaimed.token, holder: null };
  const expiredClaimed = await issue(10);
  await expiredClaimed.phone.claim();
  kinds.expiredAfterClaim = { token: expiredClaimed.token, holder: expiredClaimed.phone };
  offsetMs += 11_000;
});
afterAll(async () => server?.close());

describe("one answer for unknown, used and expired links", () => {
  const routes = ["claim", "decision:approve", "decision:deny", "decision:cancel", "GET claim", "GET decision", "POST other"];

  it("gives every link route the same status and body for every such token, from a stranger's device", async () => {
    // The page's GET view: the one invalid-link screen for all of them.
    for (const [kind, { token }] of Object.entries(kinds)) expect(await loadLinkView(server.services, token, null), `view × ${kind}`).toBeNull();
    for (const route of routes) {
      const expected = await answer(stranger(kinds.unknown.token), route);
      if (route === "claim" || route.startsWith("decision:")) expect(expected, route).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });
      for (const [kind, { token }] of Object.entries(kinds)) {
        expect(await answer(stranger(token), route), `${route} × ${kind}`).toEqual(expected);
      }
    }
  });

  it("gives the device that held a used or expired link the same answer as a stranger asking about an unknown one", async () => {
    for (const route of routes) {
      const expected = await answer(stranger(kinds.unknown.token), route);
      for (const [kind, { holder }] of Object.entries(kinds)) {
        if (holder) expect(await answer(holder, route), `${route} × ${kind} (holder)`).toEqual(expected);
      }
    }
  });
});

/** The pure parts of webhooks: the retry schedule, the URL check, event payloads, secret sealing. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config";
import type { AuditEvent, Handoff } from "../../lib/db/generated/client";
import { parseHandoffRow } from "../../lib/handoffs/handoff.store";
import { createLogger } from "../../lib/logging/logger";
import { WebhookEventSchema } from "../../lib/protocol/webhook-event";
import { MAX_ATTEMPTS, nextAttemptAfter } from "../../lib/webhooks/retry-schedule";
import { toWebhookEvent } from "../../lib/webhooks/webhook-event";
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from "../../lib/webhooks/webhook-secret";
import { checkWebhookUrlShape, resolveWebhookTarget } from "../../lib/webhooks/webhook-url";

describe("retry schedule", () => {
  it("waits longer after each failure and gives up after the last attempt", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => (nextAttemptAfter(i + 1, at)!.getTime() - at.getTime()) / 1000);
    expect(delays).toEqual([5, 30, 120, 600, 1800, 3600, 10_800]);
    expect(nextAttemptAfter(MAX_ATTEMPTS, at)).toBeNull();
  });
});

describe("webhook URL check", () => {
  const allowed = ["http://127.0.0.1:8080"];
  it("takes https, and http or a private address only for an exactly allowed origin", () => {
    expect(checkWebhookUrlShape("https://hooks.example/in#frag", []).ok).toBe(true);
    expect(checkWebhookUrlShape("http://127.0.0.1:8080/in", allowed).ok).toBe(true);
    expect(checkWebhookUrlShape("http://127.0.0.1:8081/in", allowed)).toEqual({ ok: false, reason: "scheme" });
    expect(checkWebhookUrlShape("https://127.0.0.1:8081/in", allowed)).toEqual({ ok: false, reason: "private_address" });
    for (const host of ["127.1", "0x7f000001", "[::1]", "[::ffff:7f00:1]", "169.254.169.254", "[fe80::1]", "100.64.0.1", "[64:ff9b::a00:1]"]) {
      expect(checkWebhookUrlShape(`https://${host}/in`, []), host).toEqual({ ok: false, reason: "private_address" });
    }
    expect(checkWebhookUrlShape(`https://hooks.example/${"a".repeat(2048)}`, [])).toEqual({ ok: false, reason: "too_long" });
    expect(checkWebhookUrlShape("ftp://hooks.example/", [])).toEqual({ ok: false, reason: "scheme" });
  });

  it("refuses a name with any private answer, and pins the approved address", async () => {
    const answers = {
      "a.example": [{ address: "93.184.216.34", family: 4 as const }],
      "b.example": [
        { address: "93.184.216.34", family: 4 as const },
        { address: "::1", family: 6 as const },
      ],
    };
    const resolve = async (host: string) => answers[host as keyof typeof answers] ?? [];
    expect(await resolveWebhookTarget("https://a.example/in", [], resolve)).toMatchObject({ ok: true, address: { address: "93.184.216.34", family: 4 } });
    expect(await resolveWebhookTarget("https://b.example/in", [], resolve)).toEqual({ ok: false, reason: "private_address" });
    expect(await resolveWebhookTarget("https://c.example/in", [], resolve)).toEqual({ ok: false, reason: "unresolvable" });
  });
});

describe("webhook event", () => {
  const created = new Date("2026-12-01T10:00:00Z");
  const later = (s: number) => new Date(created.getTime() + s * 1000);
  const stored = {
    id: "hnd_aaaaaaaaaaaaaaaa",
    agentId: "agt_bbbbbbbbbbbbbbbb",
    keyId: "key_x",
    state: "completed",
    tokenHash: "f".repeat(64),
    loginUrl: "https://bank.example/login?session=abc",
    targetOrigin: "https://bank.example",
    targetSite: "bank.example",
    identityProviders: "[]",
    handOverSites: "[]",
    reason: "Read statements",
    endUserRef: "u-1",
    confirmCode: "BCDFGHJK",
    includeStorage: false,
    successKind: "none",
    createdAt: created,
    expiresAt: later(600),
    openedAt: later(1),
    approvedAt: later(2),
    liveAt: later(3),
    capturedAt: later(9),
    completedAt: later(10),
    endedAt: later(10),
    endReason: null,
    deviceHash: "d".repeat(64),
    deviceSummary: "Chrome on Android",
    deviceIp: "203.0.113.9",
    cookieMeta: JSON.stringify([{ name: "sid", domain: ".bank.example", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax" }]),
    reuseAttempts: 0,
    lastActivityAt: null,
    agentGoneAt: null,
  } satisfies Handoff;
  const handoff = parseHandoffRow(stored);
  const audit = (action: string, atSeconds: number, details: Record<string, unknown> = {}, reason: string | null = null): AuditEvent => ({
    seq: 1,
    at: later(atSeconds),
    actor: "system",
    action,
    decision: "allow",
    reason,
    handoffId: handoff.id,
    agentId: handoff.agentId,
    keyId: null,
    endUserRef: null,
    operatorId: null,
    targetOrigin: handoff.targetOrigin,
    details: JSON.stringify(details),
    prevHash: "0".repeat(64),
    hash: "1".repeat(64),
  });

  it("shows the state and only the times reached at the event, and cookie names only on completion", () => {
    const opened = toWebhookEvent(audit("handoff.opened", 1, { from: "pending", to: "opened" }), handoff)!;
    expect(WebhookEventSchema.parse(opened)).toEqual(opened);
    expect(opened.data).toMatchObject({ state: "opened", openedAt: later(1).toISOString(), approvedAt: null, completedAt: null, endReason: null });
    expect(opened.data.cookies).toBeUndefined();
    const completed = toWebhookEvent(audit("handoff.completed", 10, { from: "captured", to: "completed" }), handoff)!;
    expect(completed.data.cookies).toEqual([{ name: "sid", domain: ".bank.example" }]);
    const text = JSON.stringify(completed);
    for (const secret of [handoff.tokenHash, handoff.deviceHash, handoff.deviceIp, "session=abc", handoff.confirmCode, "httpOnly"])
      expect(text).not.toContain(secret);
  });

  it("sends refused navigations, not refused subresources, and ignores other audit rows", () => {
    expect(toWebhookEvent(audit("navigation.blocked", 4, { blockedOrigin: "https://ads.test", isNavigation: true }, "site"), handoff)?.data.blocked).toEqual({
      origin: "https://ads.test",
      reason: "site",
    });
    expect(toWebhookEvent(audit("navigation.blocked", 4, { blockedOrigin: "https://ads.test", isNavigation: false }, "site"), handoff)).toBeNull();
    expect(toWebhookEvent(audit("handoff.captured", 9, { to: "captured" }), handoff)).toBeNull();
    expect(toWebhookEvent(audit("agent.created", 0), handoff)).toBeNull();
  });
});

describe("webhook secret sealing", () => {
  it("is masked by the logger wherever a careless call puts it", () => {
    const lines: string[] = [];
    const secret = newWebhookSecret();
    createLogger("debug", (l) => lines.push(l)).warn(`receiver said ${secret}`, { note: `was ${secret}` });
    expect(lines.join("\n")).not.toContain(secret.slice(6, 20));
  });

  it("opens only with the same key and the same agent id", () => {
    const key = randomBytes(32);
    const secret = newWebhookSecret();
    const sealed = sealWebhookSecret(key, "agt_one", secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openWebhookSecret(key, "agt_one", sealed)).toBe(secret);
    expect(openWebhookSecret(key, "agt_two", sealed)).toBeNull();
    expect(openWebhookSecret(randomBytes(32), "agt_one", sealed)).toBeNull();
    expect(openWebhookSecret(key, "agt_one", `${sealed.slice(0, -2)}AA`)).toBeNull();
  });
});

describe("webhook settings", () => {
  it("parses exact origins, normalised, and names a bad entry or key without echoing it", () => {
    expect(parseConfig({ WEBHOOK_ALLOWED_PRIVATE_ORIGINS: "http://127.0.0.1:8080/, https://Hooks.LAN" }).webhooks).toEqual({
      allowedPrivateOrigins: ["http://127.0.0.1:8080", "https://hooks.lan"],
      secretKey: undefined,
      timeoutMs: 10_000,
    });
    expect(parseConfig({}).webhooks.allowedPrivateOrigins).toEqual([]);
    expect(() =>
      parseConfig({ WEBHOOK_ALLOWED_PRIVATE_ORIGINS: "http://127.0.0.1:8080,https://hooks.lan/in?t=canary-x", WEBHOOK_SECRET_KEY: "canary-short" }),
    ).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/^WEBHOOK_ALLOWED_PRIVATE_ORIGINS\.1: /), expect.stringMatching(/^WEBHOOK_SECRET_KEY: /)] }),
    );
    const message = (() => {
      try {
        parseConfig({ WEBHOOK_SECRET_KEY: "canary-short" });
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain("WEBHOOK_SECRET_KEY");
    expect(message).not.toContain("canary");
  });
});

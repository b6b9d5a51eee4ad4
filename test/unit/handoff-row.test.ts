import { describe, expect, it } from "vitest";
import type { Handoff } from "../../lib/db/generated/client";
import { AppError } from "../../lib/errors/app-error";
import { parseHandoffRow } from "../../lib/handoffs/handoff.store";

const at = new Date("2026-12-01T12:00:00.000Z");
const stored: Handoff = {
  id: "hnd_aaaaaaaaaaaaaaaa",
  agentId: "agt_bbbbbbbbbbbbbbbb",
  keyId: "key_x",
  state: "captured",
  tokenHash: "f".repeat(64),
  loginUrl: "https://bank.example/login",
  targetOrigin: "https://bank.example",
  targetSite: "bank.example",
  identityProviders: '["idp.example"]',
  handOverSites: "[]",
  reason: "Read statements",
  endUserRef: null,
  confirmCode: "BCDFGHJK",
  includeStorage: false,
  successKind: "none",
  createdAt: at,
  expiresAt: at,
  openedAt: null,
  approvedAt: null,
  liveAt: null,
  capturedAt: null,
  completedAt: null,
  endedAt: null,
  endReason: null,
  deviceHash: null,
  deviceSummary: null,
  deviceIp: null,
  cookieMeta: JSON.stringify([{ name: "sid", domain: "bank.example", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax" }]),
  reuseAttempts: 0,
  lastActivityAt: null,
  agentGoneAt: null,
};

function refusal(row: Handoff): AppError | null {
  try {
    parseHandoffRow(row);
    return null;
  } catch (error) {
    return error instanceof AppError ? error : null;
  }
}

describe("a handoff row at the store boundary", () => {
  it("reads the state with the lifecycle enum and the JSON columns with their schemas", () => {
    const row = parseHandoffRow(stored);
    expect(row.state).toBe("captured");
    expect(row.identityProviders).toEqual(["idp.example"]);
    expect(row.handOverSites).toEqual([]);
    expect(row.cookieMeta).toEqual([{ name: "sid", domain: "bank.example", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax" }]);
    expect(parseHandoffRow({ ...stored, cookieMeta: null }).cookieMeta).toBeNull();
  });

  it("refuses a broken row as an internal error that names the column, never its content", () => {
    const broken: [Partial<Handoff>, string][] = [
      [{ state: "streaming-secret" }, "unknown state"],
      [{ cookieMeta: "{not json secret" }, "cookieMeta is not JSON"],
      [{ cookieMeta: JSON.stringify([{ name: "sid", value: "secret" }]) }, "cookieMeta does not match"],
      [{ identityProviders: '"secret"' }, "identityProviders does not match"],
      [{ handOverSites: "" }, "handOverSites is not JSON"],
    ];
    for (const [change, words] of broken) {
      const error = refusal({ ...stored, ...change });
      expect(error?.code, words).toBe("INTERNAL");
      expect(error?.message, words).toContain(words);
      expect(error?.message).not.toContain("secret");
    }
  });
});

import { describe, expect, it } from "vitest";
import { CreateHandoffRequestSchema, ReportRequestSchema } from "../../lib/protocol/api";
import { SocketAuthSchema, versionMismatch } from "../../lib/protocol/events";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { decodeToPhone, decodeToWorker, encodeControl, encodeFrame, ToWorkerMessageSchema } from "../../lib/protocol/stream";

describe("stream codec", () => {
  it("round-trips a binary frame with no JSON or base64", () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const decoded = decodeToPhone(encodeFrame({ seq: 7, width: 390, height: 844, image: jpeg }));
    expect(decoded).toMatchObject({ ok: true, kind: "frame", frame: { seq: 7, width: 390, height: 844 } });
    expect(decoded.ok && decoded.kind === "frame" && Array.from(decoded.frame.image)).toEqual(Array.from(jpeg));
  });

  it("refuses frames sent towards the worker", () => {
    expect(decodeToWorker(encodeFrame({ seq: 1, width: 1, height: 1, image: new Uint8Array([1]) }))).toMatchObject({ ok: false });
  });

  it("parses allowlisted input and names the failing path of anything else", () => {
    expect(decodeToWorker(encodeControl({ t: "text", text: "héllo 日本" }))).toMatchObject({ ok: true, message: { t: "text", text: "héllo 日本" } });
    const unknown = decodeToWorker(new Uint8Array([1, ...new TextEncoder().encode(JSON.stringify({ t: "navigate", url: "file:///etc/passwd" }))]));
    expect(unknown.ok).toBe(false);
    const tooFar = ToWorkerMessageSchema.safeParse({ t: "pointer", phase: "down", pointerType: "touch", x: 1e9, y: 0 });
    expect(tooFar.success).toBe(false);
    const extraKey = ToWorkerMessageSchema.safeParse({ t: "signed_in", script: "alert(1)" });
    expect(extraKey.success).toBe(false);
  });

  it("refuses keys outside the allowlist and oversized text", () => {
    expect(ToWorkerMessageSchema.safeParse({ t: "key", key: "F12" }).success).toBe(false);
    expect(ToWorkerMessageSchema.safeParse({ t: "text", text: "x".repeat(1001) }).success).toBe(false);
  });

  it("refuses control bytes that are not JSON", () => {
    expect(decodeToWorker(new Uint8Array([1, 0xff, 0xfe]))).toMatchObject({ ok: false });
    expect(decodeToWorker(new Uint8Array([9]))).toMatchObject({ ok: false });
  });
});

describe("REST and socket schemas", () => {
  it("accepts a minimal create request and defaults the success kind", () => {
    expect(CreateHandoffRequestSchema.parse({ loginUrl: "https://bank.example/login", reason: "Read statements" })).toMatchObject({ successKind: "none" });
  });

  it("refuses unknown keys, non-http URLs and bidi overrides in agent text", () => {
    expect(CreateHandoffRequestSchema.safeParse({ loginUrl: "https://a.example", reason: "x", state: "approved" }).success).toBe(false);
    expect(CreateHandoffRequestSchema.safeParse({ loginUrl: "javascript:alert(1)", reason: "x" }).success).toBe(false);
    expect(CreateHandoffRequestSchema.safeParse({ loginUrl: "https://a.example", reason: "pay \u202Eevil" }).success).toBe(false);
  });

  it("never lets an agent report an approval", () => {
    expect(ReportRequestSchema.safeParse({ event: "approved" }).success).toBe(false);
  });

  it("requires the protocol version in the socket hello", () => {
    expect(SocketAuthSchema.safeParse({ role: "phone", handoffId: "hnd_x" }).success).toBe(false);
    expect(SocketAuthSchema.safeParse({ role: "phone", handoffId: "hnd_x", protocolVersion: PROTOCOL_VERSION }).success).toBe(true);
    expect(SocketAuthSchema.safeParse({ role: "phone", handoffId: "hnd_x", protocolVersion: "2" }).success).toBe(false);
    expect(versionMismatch(PROTOCOL_VERSION)).toBeNull();
    expect(versionMismatch(PROTOCOL_VERSION - 1)).toBe("client_too_old");
    expect(versionMismatch(PROTOCOL_VERSION + 1)).toBe("server_too_old");
  });
});

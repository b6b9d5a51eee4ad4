import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../lib/crypto/base64url";
import { createOpener, createSealer, Direction, envelopeDirection, importSealKey, randomEpoch, randomSealKey } from "../../lib/crypto/seal";

const text = (s: string) => new TextEncoder().encode(s);

async function pair(handoffId = "hnd_1") {
  const key = await importSealKey(randomSealKey());
  return { key, sealer: createSealer(key, handoffId, Direction.toWorker, randomEpoch()), opener: createOpener(key, handoffId, Direction.toWorker) };
}

describe("base64url", () => {
  it("round-trips every length and refuses non-canonical text", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
    }
    expect(fromBase64Url("a+b/")).toBeNull();
    expect(fromBase64Url("AA")).toEqual(new Uint8Array([0]));
    expect(fromBase64Url("AB")).toBeNull(); // leftover bits set: not the canonical spelling of any byte
  });
});

describe("sealed envelopes", () => {
  it("opens what was sealed with the same key and handoff", async () => {
    const { sealer, opener } = await pair();
    const opened = await opener.open(await sealer.seal(text("hello")));
    expect(opened.ok && new TextDecoder().decode(opened.plain)).toBe("hello");
  });

  it("puts the direction in the first byte and never reuses an IV", async () => {
    const { sealer } = await pair();
    const a = await sealer.seal(text("x"));
    const b = await sealer.seal(text("x"));
    expect(envelopeDirection(a)).toBe(Direction.toWorker);
    expect(Buffer.from(a.subarray(0, 12)).equals(Buffer.from(b.subarray(0, 12)))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it("refuses a replayed envelope", async () => {
    const { sealer, opener } = await pair();
    const envelope = await sealer.seal(text("tap"));
    expect((await opener.open(envelope)).ok).toBe(true);
    expect(await opener.open(envelope)).toEqual({ ok: false, reason: "replay" });
  });

  it("refuses an older counter after a newer one", async () => {
    const { sealer, opener } = await pair();
    const first = await sealer.seal(text("1"));
    const second = await sealer.seal(text("2"));
    expect((await opener.open(second)).ok).toBe(true);
    expect(await opener.open(first)).toEqual({ ok: false, reason: "replay" });
  });

  it("settles overlapping seals in counter order, so senders that emit as each settles lose nothing to the replay check", async () => {
    const { sealer, opener } = await pair();
    // A long message (a frame, a pasted text) sealed just before short ones (a key, a frame ack):
    // the short ones' encryption often finishes first.
    const emitted: Uint8Array[] = [];
    const sent = 1200;
    await Promise.all(
      Array.from({ length: sent }, async (_, i) => {
        emitted.push(await sealer.seal(new Uint8Array(i % 4 === 0 ? 256_000 : 8).fill(i % 251)));
      }),
    );
    let opened = 0;
    for (const envelope of emitted) {
      const result = await opener.open(envelope);
      if (result.ok) opened += 1;
    }
    expect(opened).toBe(sent);
  });

  it("accepts a new sender epoch (a reloaded page) and then refuses the old one", async () => {
    const key = await importSealKey(randomSealKey());
    const opener = createOpener(key, "h", Direction.toWorker);
    const old = createSealer(key, "h", Direction.toWorker, new Uint8Array([1, 2, 3]));
    const reloaded = createSealer(key, "h", Direction.toWorker, new Uint8Array([4, 5, 6]));
    const oldMessage = await old.seal(text("a"));
    const oldLater = await old.seal(text("b"));
    expect((await opener.open(oldMessage)).ok).toBe(true);
    expect((await opener.open(await reloaded.seal(text("c")))).ok).toBe(true);
    expect(await opener.open(oldLater)).toEqual({ ok: false, reason: "replay" });
  });

  it("refuses a tampered byte, another handoff's envelope and the wrong direction", async () => {
    const { key, sealer, opener } = await pair("hnd_A");
    const envelope = await sealer.seal(text("secret"));
    const tampered = envelope.slice();
    tampered[20] ^= 1;
    expect(await opener.open(tampered)).toEqual({ ok: false, reason: "auth" });
    const other = createSealer(key, "hnd_B", Direction.toWorker, randomEpoch());
    expect(await opener.open(await other.seal(text("x")))).toEqual({ ok: false, reason: "auth" });
    const wrongWay = createSealer(key, "hnd_A", Direction.toPhone, randomEpoch());
    expect(await opener.open(await wrongWay.seal(text("x")))).toEqual({ ok: false, reason: "direction" });
  });

  it("opens envelopes that arrive as Node Buffers cut from a shared pool (regression: every message after the first read as a replay)", async () => {
    const { sealer, opener } = await pair();
    for (const word of ["one", "two", "three"]) {
      const pooled = Buffer.concat([Buffer.from("padding-before"), Buffer.from(await sealer.seal(text(word)))]).subarray(14);
      const opened = await opener.open(pooled);
      expect(opened.ok && new TextDecoder().decode(opened.plain)).toBe(word);
    }
  });

  it("refuses a different key", async () => {
    const { sealer } = await pair();
    const stranger = createOpener(await importSealKey(randomSealKey()), "hnd_1", Direction.toWorker);
    expect(await stranger.open(await sealer.seal(text("x")))).toEqual({ ok: false, reason: "auth" });
  });

  it("keeps the plaintext out of the envelope", async () => {
    const { sealer } = await pair();
    const envelope = await sealer.seal(text("correct horse battery staple"));
    expect(Buffer.from(envelope).includes("horse")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../lib/crypto/base64url";
import {
  createOpener,
  createSealer,
  Direction,
  envelopeDirection,
  importSealKey,
  randomEpoch,
  randomSealKey,
  type SealKey,
  TAG_BYTES,
} from "../../lib/crypto/seal";
import { importNodeSealKey } from "../../worker/seal-key";

const text = (s: string) => new TextEncoder().encode(s);

/** The phone's key (WebCrypto) and the worker's (Node's own AES-GCM): every rule below holds for both. */
const KEYS: [string, (raw: Uint8Array) => SealKey | Promise<SealKey>][] = [
  ["WebCrypto", importSealKey],
  ["Node", importNodeSealKey],
];

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

describe.each(KEYS)("sealed envelopes (%s key)", (_name, importKey) => {
  async function pair(handoffId = "hnd_1") {
    const key = await importKey(randomSealKey());
    return { key, sealer: createSealer(key, handoffId, Direction.toWorker, randomEpoch()), opener: createOpener(key, handoffId, Direction.toWorker) };
  }

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
    const key = await importKey(randomSealKey());
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
    const stranger = createOpener(await importKey(randomSealKey()), "hnd_1", Direction.toWorker);
    expect(await stranger.open(await sealer.seal(text("x")))).toEqual({ ok: false, reason: "auth" });
  });

  it("refuses an envelope cut short by any number of bytes, including into its tag", async () => {
    const { sealer, opener } = await pair();
    const envelope = await sealer.seal(text("a frame or a key"));
    for (let cut = 1; cut <= TAG_BYTES + 4; cut++) {
      const result = await opener.open(envelope.subarray(0, envelope.length - cut));
      expect(result.ok, `cut by ${cut}`).toBe(false);
    }
  });

  it("keeps the plaintext out of the envelope", async () => {
    const { sealer } = await pair();
    const envelope = await sealer.seal(text("correct horse battery staple"));
    expect(Buffer.from(envelope).includes("horse")).toBe(false);
  });
});

describe("the phone's and the worker's keys", () => {
  it("open each other's envelopes, in both directions, byte for byte", async () => {
    const raw = randomSealKey();
    const phone = await importSealKey(raw);
    const worker = importNodeSealKey(raw);
    const toWorker = createSealer(phone, "hnd_X", Direction.toWorker, randomEpoch());
    const workerOpens = createOpener(worker, "hnd_X", Direction.toWorker);
    const toPhone = createSealer(worker, "hnd_X", Direction.toPhone, randomEpoch());
    const phoneOpens = createOpener(phone, "hnd_X", Direction.toPhone);
    for (const size of [0, 1, 15, 16, 17, 4096, 65_536]) {
      const plain = crypto.getRandomValues(new Uint8Array(size));
      const a = await workerOpens.open(await toWorker.seal(plain));
      const b = await phoneOpens.open(await toPhone.seal(plain));
      expect(a.ok && Buffer.from(a.plain).equals(Buffer.from(plain)), `phone → worker, ${size} bytes`).toBe(true);
      expect(b.ok && Buffer.from(b.plain).equals(Buffer.from(plain)), `worker → phone, ${size} bytes`).toBe(true);
    }
  });

  it("make the same envelope from the same IV, data and plaintext", async () => {
    const raw = randomSealKey();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = text("baton/v1|hnd_X");
    const plain = text("the same bytes either way");
    const web = await (await importSealKey(raw)).encrypt(iv, data, plain);
    const node = await importNodeSealKey(raw).encrypt(iv, data, plain);
    expect(Buffer.from(node).equals(Buffer.from(web))).toBe(true);
    expect(node.length).toBe(plain.length + TAG_BYTES);
  });

  it("refuse a key of the wrong length", async () => {
    expect(() => importNodeSealKey(new Uint8Array(16))).toThrow(/32 bytes/);
    await expect(importSealKey(new Uint8Array(16))).rejects.toThrow(/32 bytes/);
  });
});

/**
 * End-to-end sealing of stream payloads between the worker and the phone (AES-256-GCM). The key is
 * made by the worker and travels in the link's fragment, so the relay only ever sees sizes and
 * timing. The envelope's framing is in envelope.ts. The cipher itself is a `SealKey`: WebCrypto's
 * here (the phone; anything with `crypto.subtle`), Node's own in worker/seal-key.ts.
 */
import { type Direction, IV_BYTES, TAG_BYTES } from "./envelope";

export { Direction, envelopeDirection, IV_BYTES, TAG_BYTES } from "./envelope";

export const KEY_BYTES = 32;

function aad(handoffId: string): Uint8Array {
  return new TextEncoder().encode(`baton/v1|${handoffId}`);
}

/**
 * AES-256-GCM under one key. Either may answer at once or later; the sealer and opener keep order
 * either way. What they return may be a view into a shared pool (a Node Buffer): read it through its
 * own offset and length, never through `.buffer` alone.
 */
export interface SealKey {
  /** Ciphertext ‖ tag (TAG_BYTES). */
  encrypt(iv: Uint8Array, additionalData: Uint8Array, plain: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The plaintext of ciphertext ‖ tag; throws, or rejects, when it is not authentic. */
  decrypt(iv: Uint8Array, additionalData: Uint8Array, sealed: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export function checkKeyLength(raw: Uint8Array): void {
  if (raw.length !== KEY_BYTES) throw new Error(`seal key must be ${KEY_BYTES} bytes`);
}

/** WebCrypto's AES-GCM: every call goes to the platform's crypto thread and back. */
export async function importSealKey(raw: Uint8Array): Promise<SealKey> {
  checkKeyLength(raw);
  const key = await crypto.subtle.importKey("raw", raw as BufferSource, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  const params = (iv: Uint8Array, additionalData: Uint8Array): AesGcmParams => ({
    name: "AES-GCM",
    iv: iv as BufferSource,
    additionalData: additionalData as BufferSource,
    tagLength: TAG_BYTES * 8,
  });
  return {
    encrypt: async (iv, data, plain) => new Uint8Array(await crypto.subtle.encrypt(params(iv, data), key, plain as BufferSource)),
    decrypt: async (iv, data, sealed) => new Uint8Array(await crypto.subtle.decrypt(params(iv, data), key, sealed as BufferSource)),
  };
}

export interface Sealer {
  /** Settles in the order of the calls: an envelope handed on as it settles is never behind a later one. */
  seal(plain: Uint8Array): Promise<Uint8Array>;
}

/** @param epoch 3 random bytes; give a fresh one to every sender session that shares a key. */
export function createSealer(key: SealKey, handoffId: string, direction: Direction, epoch: Uint8Array): Sealer {
  if (epoch.length !== 3) throw new Error("epoch must be 3 bytes");
  let counter = 0n;
  const data = aad(handoffId);
  // Encryptions run in parallel and may finish in any order (measured: a short message sealed after
  // a long one often finishes first), but the opener refuses a counter lower than one it has
  // opened: a message emitted as its own seal finished would be dropped as a replay.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    seal(plain) {
      counter += 1n;
      const iv = new Uint8Array(IV_BYTES);
      iv[0] = direction;
      iv.set(epoch, 1);
      new DataView(iv.buffer).setBigUint64(4, counter);
      // Called now, not a microtask later (an async body runs at once up to its first await): the
      // caller may reuse `plain` once this returns, and a key that throws rejects this seal alone.
      const encrypting = (async () => key.encrypt(iv, data, plain))();
      const before = previous;
      const sealed = encrypting.then(async (cipher) => {
        await before;
        const out = new Uint8Array(IV_BYTES + cipher.byteLength);
        out.set(iv, 0);
        out.set(cipher, IV_BYTES);
        return out;
      });
      previous = sealed.catch(() => undefined);
      return sealed;
    },
  };
}

export type OpenResult = { ok: true; plain: Uint8Array } | { ok: false; reason: "malformed" | "direction" | "replay" | "auth" };

export interface Opener {
  open(envelope: Uint8Array): Promise<OpenResult>;
}

/**
 * Opens envelopes sent in `direction`, refusing replays: within an epoch the counter must grow,
 * and an epoch once left is never accepted again (a reloaded sender starts a new one).
 */
export function createOpener(key: SealKey, handoffId: string, direction: Direction): Opener {
  const data = aad(handoffId);
  const retired = new Set<number>();
  let epoch = -1;
  let last = 0n;
  // Opens run one at a time, in arrival order: decryption is async, and the replay window must be
  // checked and moved by one message before the next is looked at (keystrokes also keep their order).
  let queue: Promise<unknown> = Promise.resolve();
  const openOne = async (envelope: Uint8Array): Promise<OpenResult> => {
    if (envelope.length < IV_BYTES + TAG_BYTES) return { ok: false, reason: "malformed" };
    if (envelope[0] !== direction) return { ok: false, reason: "direction" };
    // Copy: a Node Buffer's slice is a view into a shared pool, so `iv.buffer` would not start at the IV.
    const iv = new Uint8Array(envelope.subarray(0, IV_BYTES));
    const view = new DataView(iv.buffer);
    const msgEpoch = (iv[1] << 16) | (iv[2] << 8) | iv[3];
    const counter = view.getBigUint64(4);
    if (retired.has(msgEpoch) || (msgEpoch === epoch && counter <= last)) return { ok: false, reason: "replay" };
    let plain: Uint8Array;
    try {
      plain = await key.decrypt(iv, data, envelope.subarray(IV_BYTES));
    } catch {
      return { ok: false, reason: "auth" };
    }
    // Only an authentic message may move the replay window.
    if (msgEpoch !== epoch) {
      if (epoch >= 0) retired.add(epoch);
      epoch = msgEpoch;
    }
    last = counter;
    return { ok: true, plain };
  };
  return {
    open(envelope) {
      const result = queue.then(() => openOne(envelope));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

export function randomEpoch(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(3));
}

export function randomSealKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

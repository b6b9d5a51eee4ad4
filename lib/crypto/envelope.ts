/**
 * The framing of a sealed stream payload, which the relay may read without any key:
 *
 * Envelope: IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes).
 * IV: direction (1 byte) ‖ epoch (3 random bytes, one per sender session) ‖ counter (8 bytes, big-endian).
 * The direction byte lets the relay check framing (who may send what) without decrypting, and makes
 * the two directions' IV spaces disjoint; the epoch keeps a reloaded phone page from reusing an IV.
 *
 * This module holds no decryption code on purpose: the relay imports it, never seal.ts.
 */
export const Direction = { toPhone: 1, toWorker: 2 } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export function envelopeDirection(envelope: Uint8Array): number | null {
  return envelope.length >= IV_BYTES + TAG_BYTES ? envelope[0] : null;
}

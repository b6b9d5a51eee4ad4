/**
 * The worker's seal key: Node's own AES-256-GCM (OpenSSL), answered in the call. WebCrypto in Node
 * sends every message to the thread pool and back through the event loop; a keystroke and its
 * frame each paid that turn (measured in `npm run bench -- --trace`: see README, "Levers"). The
 * envelopes are the same as WebCrypto's, so the phone opens them with importSealKey.
 */
import { createCipheriv, createDecipheriv, createSecretKey } from "node:crypto";
import { checkKeyLength, type SealKey, TAG_BYTES } from "../lib/crypto/seal";

const ALGORITHM = "aes-256-gcm";

export function importNodeSealKey(raw: Uint8Array): SealKey {
  checkKeyLength(raw);
  const key = createSecretKey(raw);
  return {
    encrypt(iv, additionalData, plain) {
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData);
      return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    decrypt(iv, additionalData, sealed) {
      if (sealed.length < TAG_BYTES) throw new Error("sealed message too short");
      // authTagLength pins the tag to 16 bytes: a shorter one is refused, never checked as a truncated tag.
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    },
  };
}

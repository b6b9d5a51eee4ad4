/**
 * A self-signed certificate for trying Baton on a real phone over the local network: phones give
 * WebCrypto only to secure contexts, so the phone page needs https even on a LAN. Made with Node's
 * own crypto (an EC P-256 key and a hand-encoded X.509 v3 certificate), so it needs no `openssl`
 * binary, which minimal Debian images lack. Never for production: a phone shows a warning for it.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
}

export interface SelfSignedOptions {
  /** Host names and IP addresses the certificate is for (its subjectAltName). */
  names: string[];
  commonName?: string;
  now: Date;
  validDays?: number;
}

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const octets = (content: Buffer) => der(0x04, content);
const explicit = (n: number, content: Buffer) => der(0xa0 + n, content);

/** A positive INTEGER: a leading zero byte when the high bit is set. */
function integer(bytes: Buffer): Buffer {
  return der(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const value of rest) {
    const groups = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2)}Z`)) : der(0x18, Buffer.from(`${iso}Z`));
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split(".").map(Number));
  const [head, tail = ""] = address.split("::");
  const words = (s: string) => (s ? s.split(":").map((w) => parseInt(w, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill(0), ...right] : left;
  return Buffer.from(all.flatMap((w) => [w >> 8, w & 0xff]));
}

function subjectAltName(names: string[]): Buffer {
  // GeneralName: dNSName is [2] IA5String, iPAddress is [7] OCTET STRING (both implicit).
  const general = names.map((n) => (isIP(n) ? der(0x87, ipBytes(n)) : der(0x82, Buffer.from(n, "ascii"))));
  return seq(oid("2.5.29.17"), octets(seq(...general)));
}

export function makeSelfSignedCertificate(options: SelfSignedOptions): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = seq(set(seq(oid("2.5.4.3"), der(0x0c, Buffer.from(options.commonName ?? "Baton (local, self-signed)", "utf8")))));
  const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const notBefore = new Date(options.now.getTime() - 60_000);
  const notAfter = new Date(options.now.getTime() + (options.validDays ?? 30) * 86_400_000);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const extensions = seq(
    subjectAltName(options.names),
    // keyUsage digitalSignature (critical) and extendedKeyUsage serverAuth: a TLS server leaf.
    seq(oid("2.5.29.15"), der(0x01, Buffer.from([0xff])), octets(der(0x03, Buffer.from([0x07, 0x80])))),
    seq(oid("2.5.29.37"), octets(seq(oid("1.3.6.1.5.5.7.3.1")))),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaWithSha256,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = certificate.toString("base64").match(/.{1,64}/g) ?? [];
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

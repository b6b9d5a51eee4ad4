/**
 * Addresses a handoff browser must never reach unless the operator allowlisted that exact origin:
 * private, loopback, link-local (cloud metadata at 169.254.169.254), shared (100.64/10), multicast
 * and reserved ranges, in IPv4 and IPv6, including IPv4 embedded in IPv6 (`::ffff:127.0.0.1`,
 * NAT64). Checked on resolved addresses, never on host-name spelling.
 */
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The 16 bytes of an IPv6 literal (already validated by `isIP`), dotted-quad tail included. */
function ipv6Bytes(ip: string): Uint8Array {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const groups = rest === null ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 255;
  });
  return out;
}

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const v4At = (bytes: Uint8Array, at: number) => `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;

/**
 * The IPv4 address an IPv6 address carries, for every form a stack may route to it: mapped
 * (::ffff:0:0/96), translated (::ffff:0:0:0/96), compatible (::/96), NAT64 (64:ff9b::/96) and
 * 6to4 (2002::/16). Teredo and local-use NAT64 hide or scramble it, so they are refused whole.
 */
/** The embedded address, `REFUSE` for forms that hide it, or null for none. */
const REFUSE = Symbol("refuse");
function embeddedIpv4(bytes: Uint8Array): string | typeof REFUSE | null {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return v4At(bytes, 12);
  if (startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])) return v4At(bytes, 12);
  if (startsWith(bytes, zeros(12))) return v4At(bytes, 12);
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return v4At(bytes, 12);
  if (startsWith(bytes, [0x20, 0x02])) return v4At(bytes, 2);
  if (startsWith(bytes, [0x20, 0x01, 0, 0]) || startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) return REFUSE;
  return null;
}

/** True for an IP literal in a range a handoff must not reach. Non-IPs return false. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "");
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(ipv6Bytes(ip));
    if (v4 === REFUSE) return true;
    return v4 ? blocked.check(v4, "ipv4") : blocked.check(ip, "ipv6");
  }
  return false;
}

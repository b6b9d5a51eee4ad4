/**
 * The machine's addresses on the local network, for telling a person where a phone can reach a
 * Baton that listens on every interface (`HOST=0.0.0.0`). Loopback and link-local addresses are
 * left out: a phone on the same Wi-Fi cannot use them.
 */
import type { NetworkInterfaceInfo } from "node:os";

export function isWildcardHost(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && i.family === "IPv4" && !i.address.startsWith("169.254."))
    .map((i) => i.address);
}

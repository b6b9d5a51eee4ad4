import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { isWildcardHost, lanAddresses } from "../../lib/server/lan-addresses";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as NetworkInterfaceInfo;

describe("LAN addresses", () => {
  it("lists the addresses a phone on the same network can reach, not loopback or link-local ones", () => {
    const interfaces = {
      lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)],
      wlan0: [nic("192.168.1.20", "IPv4"), nic("fe80::1", "IPv6")],
      eth1: [nic("169.254.3.4", "IPv4"), nic("10.0.0.7", "IPv4")],
    };
    expect(lanAddresses(interfaces)).toEqual(["192.168.1.20", "10.0.0.7"]);
  });

  it("knows the hosts that mean every interface", () => {
    expect(["0.0.0.0", "::", "[::]"].every(isWildcardHost)).toBe(true);
    expect(isWildcardHost("127.0.0.1")).toBe(false);
  });
});

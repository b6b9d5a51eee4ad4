import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../lib/net/private-address";
import { createEgressGuard } from "../../worker/egress-guard";
import type { Browser } from "playwright";

describe("private address check", () => {
  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "[::1]",
    "::",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::10.0.0.1",
    "224.0.0.1",
    "::127.0.0.1",
    "[::7f00:1]",
    "::ffff:0:127.0.0.1",
    "::ffff:0:7f00:1",
    "2002:7f00:1::",
    "2002:a9fe:a9fe::1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::8.8.8.8",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "0:0:0:0:0:ffff:127.0.0.1",
    "fe80::1%eth0",
    "100::1",
  ])("refuses %s", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::8.8.8.8", "2a00:1450:4001:80b::200e"])(
    "allows public %s",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe("egress guard", () => {
  const dns: Record<string, string[]> = {
    "cdn.bank.test": ["93.184.216.34"],
    "internal.bank.test": ["10.0.0.5"],
    "rebind.bank.test": ["93.184.216.34", "127.0.0.1"],
    "login.idp.test": ["8.8.4.4"],
  };
  const guard = createEgressGuard({
    targetOrigin: "https://bank.test",
    allowedSites: ["bank.test", "idp.test"],
    resolve: async (host) => {
      if (!dns[host]) throw new Error("ENOTFOUND");
      return dns[host];
    },
  });

  it("allows the allowlisted origin itself, public hosts of allowed sites, and inline data subresources", async () => {
    expect(await guard("https://bank.test/login?next=/a", true)).toEqual({ ok: true });
    expect(await guard("https://cdn.bank.test/app.js", false)).toEqual({ ok: true, address: "93.184.216.34" });
    expect(await guard("https://login.idp.test/authorize", true)).toEqual({ ok: true, address: "8.8.4.4" });
    expect(await guard("data:image/png;base64,AAAA", false)).toEqual({ ok: true });
  });

  it("refuses other sites, including look-alikes and credentials tricks", async () => {
    expect(await guard("https://evil.test/", true)).toMatchObject({ ok: false, reason: "site" });
    expect(await guard("https://bank.test.evil.test/", true)).toMatchObject({ ok: false, reason: "site" });
    expect(await guard("https://bank.test@evil.test/", true)).toMatchObject({ ok: false, reason: "site" });
  });

  it("refuses hosts of an allowed site that resolve to private addresses, wholly or partly", async () => {
    expect(await guard("https://internal.bank.test/", true)).toMatchObject({ ok: false, reason: "private_address" });
    expect(await guard("https://rebind.bank.test/", false)).toMatchObject({ ok: false, reason: "private_address" });
  });

  it("allows an allowed site's hosts on the web's own ports only; the exact allowlisted origin keeps its own", async () => {
    expect(await guard("https://cdn.bank.test:443/app.js", false)).toEqual({ ok: true, address: "93.184.216.34" });
    expect(await guard("http://cdn.bank.test:80/app.js", false)).toEqual({ ok: true, address: "93.184.216.34" });
    for (const url of [
      "https://cdn.bank.test:8443/",
      "https://cdn.bank.test:22/",
      "http://login.idp.test:443/",
      "https://login.idp.test:80/",
      "http://cdn.bank.test:6379/",
    ]) {
      expect(await guard(url, false), url).toMatchObject({ ok: false, reason: "site" });
    }
    const onPort = createEgressGuard({ targetOrigin: "https://bank.test:8443", allowedSites: ["bank.test"], resolve: async () => ["93.184.216.34"] });
    expect(await onPort("https://bank.test:8443/login", true)).toEqual({ ok: true });
    expect(await onPort("https://bank.test:9443/login", true)).toMatchObject({ ok: false, reason: "site" });
  });

  it("fails closed on names that do not resolve", async () => {
    expect(await guard("https://ghost.bank.test/", false)).toMatchObject({ ok: false, reason: "unresolvable" });
  });

  it("refuses every internal-address spelling as a direct target", async () => {
    const ipGuard = createEgressGuard({ targetOrigin: "https://bank.test", allowedSites: ["bank.test", "127.0.0.1", "169.254.169.254", "[::1]", "::1"] });
    for (const url of ["http://127.1/", "http://0x7f000001/", "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/"]) {
      const verdict = await ipGuard(url, true);
      expect(verdict.ok, url).toBe(false);
    }
  });

  it("refuses dangerous schemes and top-level data: or blob:", async () => {
    for (const url of ["file:///etc/passwd", "chrome://settings", "view-source:https://bank.test/", "javascript:alert(1)", "devtools://devtools/"]) {
      expect(await guard(url, true)).toMatchObject({ ok: false, reason: "scheme" });
    }
    expect(await guard("data:text/html,<h1>hi</h1>", true)).toMatchObject({ ok: false, reason: "scheme" });
    expect(await guard("blob:https://bank.test/uuid", true)).toMatchObject({ ok: false, reason: "scheme" });
  });
});

describe("trusted private origins", () => {
  const guard = createEgressGuard({
    targetOrigin: "http://127.0.0.1:8080",
    allowedSites: ["127.0.0.1", "localhost"],
    trustedOrigins: ["http://localhost:9000", "http://evil.test:9000"],
    resolve: async () => ["127.0.0.1"],
  });

  it("lets exactly a trusted origin through although it is private", async () => {
    expect(await guard("http://localhost:9000/authorize", true)).toEqual({ ok: true });
    expect(await guard("http://localhost:9001/authorize", true)).toMatchObject({ ok: false, reason: "private_address" });
    expect(await guard("https://localhost:9000/", true)).toMatchObject({ ok: false, reason: "private_address" });
  });

  it("does not widen the sites: a trusted origin outside them stays refused", async () => {
    expect(await guard("http://evil.test:9000/", true)).toMatchObject({ ok: false, reason: "site" });
  });
});

describe("trusted private origins at the browser", () => {
  const browser = { version: () => "156.0" } as unknown as Browser;
  it("refuses a trusted origin outside the handoff's sites, or one that is not a bare origin, before opening anything", async () => {
    const { openHandoffBrowser } = await import("../../worker/handoff-browser");
    const base = { browser, targetOrigin: "http://127.0.0.1:8080", allowedSites: ["127.0.0.1", "localhost"] };
    await expect(openHandoffBrowser({ ...base, trustedOrigins: ["http://10.0.0.5:9000"] })).rejects.toThrow(/outside/);
    await expect(openHandoffBrowser({ ...base, trustedOrigins: ["http://localhost:9000/path"] })).rejects.toThrow(/bare/);
  });
});

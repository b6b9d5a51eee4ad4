import type { Cookie } from "playwright";
import { describe, expect, it } from "vitest";
import { checkTarget, siteOf } from "../../lib/policy/target";
import { cookieMetadata, selectCookies } from "../../worker/cookie-capture";

const cookie = (name: string, domain: string, extra: Partial<Cookie> = {}): Cookie => ({
  name,
  value: `value-of-${name}`,
  domain,
  path: "/",
  expires: -1,
  httpOnly: true,
  secure: true,
  sameSite: "Lax",
  ...extra,
});

describe("registrable-domain cookie filter", () => {
  it("keeps the target site's cookies, host-only and domain-wide, and drops others", () => {
    const jar = [cookie("sid", "bank.example.com"), cookie("pref", ".example.com"), cookie("x", "evil.test"), cookie("ga", ".other.com")];
    expect(selectCookies(jar, { targetSite: siteOf("login.example.com") }).map((c) => c.name)).toEqual(["sid", "pref"]);
  });

  it("treats private suffixes as their own sites (a.github.io is not b.github.io)", () => {
    expect(siteOf("a.github.io")).toBe("a.github.io");
    const jar = [cookie("mine", "a.github.io"), cookie("sibling", "b.github.io")];
    expect(selectCookies(jar, { targetSite: siteOf("a.github.io") }).map((c) => c.name)).toEqual(["mine"]);
  });

  it("leaves identity-provider cookies behind unless the agent names that site", () => {
    const jar = [cookie("sid", "app.example.com"), cookie("SSID", ".accounts.idp.test")];
    expect(selectCookies(jar, { targetSite: "example.com" }).map((c) => c.name)).toEqual(["sid"]);
    expect(selectCookies(jar, { targetSite: "example.com", handOverSites: ["idp.test"] }).map((c) => c.name)).toEqual(["sid", "SSID"]);
  });

  it("caps lifetimes when asked, leaving session cookies alone", () => {
    const jar = [cookie("long", "example.com", { expires: 2_000_000_000 }), cookie("session", "example.com")];
    const capped = selectCookies(jar, { targetSite: "example.com", maxLifetimeSeconds: 3600, nowSeconds: 1_000_000_000 });
    expect(capped.map((c) => c.expires)).toEqual([1_000_003_600, -1]);
  });

  it("keeps values out of the metadata sent to the server", () => {
    const meta = cookieMetadata([cookie("sid", "example.com")]);
    expect(JSON.stringify(meta)).not.toContain("value-of-sid");
    expect(meta[0]).toMatchObject({ name: "sid", domain: "example.com", httpOnly: true, secure: true, sameSite: "Lax" });
  });
});

describe("target check", () => {
  const allowed = ["https://bank.test"];
  it("allows exactly the listed origin", () => {
    expect(checkTarget("https://bank.test/login?x=1", allowed)).toMatchObject({ ok: true, origin: "https://bank.test", site: "bank.test" });
  });
  it("refuses look-alikes: credentials in the URL, another port or scheme, a sub-domain", () => {
    expect(checkTarget("https://bank.test@evil.test/login", allowed)).toMatchObject({ ok: false });
    expect(checkTarget("https://bank.test:8443/", allowed)).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(checkTarget("http://bank.test/", allowed)).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(checkTarget("https://evil.bank.test/", allowed)).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(checkTarget("ftp://bank.test/", allowed)).toMatchObject({ ok: false, reason: "scheme" });
  });
});

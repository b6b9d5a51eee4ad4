/**
 * Capture → inject → read back gives the same cookies, every attribute kept: host-only vs domain,
 * path, expiry, httpOnly, secure, sameSite, partition key (CHIPS), and the __Host- / __Secure- prefixes.
 */
import type { Browser, Cookie } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { injectCookies, selectCookies } from "../../worker/cookie-capture";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const inAnHour = Math.floor(Date.now() / 1000) + 3600;

const sort = (cookies: Cookie[]) => [...cookies].sort((a, b) => `${a.name}${a.domain}`.localeCompare(`${b.name}${b.domain}`));

describe("cookie round trip between contexts", () => {
  it("keeps every attribute and drops other sites", async () => {
    const source = await browser.newContext();
    await source.addCookies([
      { name: "__Host-sid", value: "h1", url: "https://app.bank.test/", httpOnly: true, secure: true, sameSite: "Strict", expires: inAnHour },
      { name: "__Secure-pref", value: "s1", domain: ".bank.test", path: "/", secure: true, httpOnly: false, sameSite: "None", expires: inAnHour },
      { name: "hostonly", value: "v1", url: "https://app.bank.test/", sameSite: "Lax" },
      { name: "scoped", value: "p1", domain: "app.bank.test", path: "/statements", secure: true, sameSite: "Lax", expires: inAnHour },
      { name: "wide", value: "w1", domain: ".bank.test", path: "/", secure: false, httpOnly: true, sameSite: "Lax" },
      { name: "idp", value: "i1", domain: ".idp.test", path: "/", secure: true, sameSite: "None" },
      { name: "__Host-chips", value: "c1", domain: "app.bank.test", path: "/", secure: true, sameSite: "None", partitionKey: "https://shop.test" },
    ]);
    const captured = selectCookies(await source.cookies(), { targetSite: "bank.test" });
    expect(captured.map((c) => c.name).sort()).toEqual(["__Host-chips", "__Host-sid", "__Secure-pref", "hostonly", "scoped", "wide"]);
    expect(captured.find((c) => c.name === "__Host-chips")!.partitionKey).toBe("https://shop.test");

    const target = await browser.newContext();
    await injectCookies(target, captured);
    const readBack = await target.cookies();
    expect(sort(readBack)).toEqual(sort(captured));

    const hostOnly = readBack.find((c) => c.name === "__Host-sid")!;
    expect(hostOnly.domain).toBe("app.bank.test"); // host-only, no leading dot
    expect(readBack.find((c) => c.name === "wide")!.domain).toBe(".bank.test");
    expect(readBack.find((c) => c.name === "__Host-chips")!.partitionKey).toBe("https://shop.test");
    await source.close();
    await target.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";

let site: DemoSite;

beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
});
afterAll(async () => site?.close());

const get = (path: string, cookie?: string) => fetch(`${site.url}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
const post = (path: string, form: Record<string, string>, cookie?: string) =>
  fetch(`${site.url}${path}`, { method: "POST", redirect: "manual", body: new URLSearchParams(form), headers: cookie ? { cookie } : {} });

/** "name=value" of a Set-Cookie for `name`, ready to send back in a Cookie header. */
function cookieFrom(response: Response, name: string): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`) && !/Max-Age=0/i.test(c));
  return line?.split(";")[0];
}

async function passwordStep(next = "/account") {
  const response = await post(`/login?next=${encodeURIComponent(next)}`, { username: site.username, password: site.password });
  expect(response.status).toBe(303);
  const pending = cookieFrom(response, "demo_pending");
  expect(pending).toMatch(/^demo_pending=[A-Za-z0-9_-]{43}$/);
  return { response, pending: pending! };
}

describe("demo site", () => {
  it("redirects to the login page when signed out", async () => {
    const response = await get("/account");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?next=%2Faccount");
  });

  it("serves a mobile login form without caching", async () => {
    const response = await get("/login?next=%2Faccount");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('autocomplete="current-password"');
    expect(page).toContain('<label for="username">');
  });

  it("refuses a wrong password with 401 and sets no cookie", async () => {
    const response = await post("/login", { username: site.username, password: "wrong" });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain("Wrong username or password.");
  });

  it("refuses a wrong code after the right password", async () => {
    const { pending } = await passwordStep();
    const wrong = String((Number(site.currentCode()) + 500_000) % 1_000_000).padStart(6, "0");
    const response = await post("/login/otp", { code: wrong }, pending);
    expect(response.status).toBe(401);
    expect(cookieFrom(response, "demo_session")).toBeUndefined();
    expect(await response.text()).toContain("That code is not right.");
  });

  it("signs in with the right password and the current code, then shows the balance", async () => {
    const { response: step1, pending } = await passwordStep();
    expect(step1.headers.get("location")).toBe("/login/otp?next=%2Faccount");
    expect((await get("/login/otp", pending)).status).toBe(200);

    const step2 = await post("/login/otp", { code: site.currentCode() }, pending);
    expect(step2.status).toBe(303);
    expect(step2.headers.get("location")).toBe("/account");
    const sessionLine = step2.headers.getSetCookie().find((c) => c.startsWith("demo_session="));
    expect(sessionLine).toMatch(/^demo_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=3600$/);
    const session = cookieFrom(step2, "demo_session")!;

    const account = await get("/account", session);
    expect(account.status).toBe(200);
    expect(account.headers.get("cache-control")).toBe("no-store");
    expect(await account.text()).toContain('<p id="protected-data">Balance: 1,234.56 EUR</p>');

    const api = await get("/api/account", session);
    expect(api.status).toBe(200);
    const body = z.object({ owner: z.string(), balance: z.string(), statements: z.array(z.unknown()).length(3) }).parse(await api.json());
    expect(body).toMatchObject({ owner: site.username, balance: "1,234.56 EUR" });

    // The step-1 record is spent: the same pending cookie cannot mint a second session.
    expect((await post("/login/otp", { code: site.currentCode() }, pending)).headers.get("location")).toBe("/login");
  });

  it("answers the account API with 401 JSON when signed out", async () => {
    const response = await get("/api/account");
    expect(response.status).toBe(401);
    expect(z.object({ error: z.string() }).parse(await response.json())).toEqual({ error: "not_signed_in" });
  });

  it("sends the code page back to the login page without a pending sign-in", async () => {
    const response = await get("/login/otp");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
  });

  it("ignores an open-redirect attempt in next and lands on /account", async () => {
    const { response: step1, pending } = await passwordStep("//evil.test");
    expect(step1.headers.get("location")).toBe("/login/otp?next=%2Faccount");
    const step2 = await post("/login/otp", { code: site.currentCode() }, pending);
    expect(step2.headers.get("location")).toBe("/account");
  });

  it("signs out and forgets the session", async () => {
    const { pending } = await passwordStep();
    const session = cookieFrom(await post("/login/otp", { code: site.currentCode() }, pending), "demo_session")!;
    const logout = await post("/logout", {}, session);
    expect(logout.status).toBe(303);
    expect(logout.headers.get("location")).toBe("/");
    expect((await get("/account", session)).status).toBe(302);
  });

  it("refuses a login form larger than 4 KB with 413", async () => {
    const response = await post("/login", { username: site.username, password: "x".repeat(8 * 1024) });
    expect(response.status).toBe(413);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("answers unknown paths with a 404 page", async () => {
    const response = await get("/nowhere");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});

/**
 * The phone page walked through as a person does, at iPhone (390×844 @3) and Android (412×915
 * @2.6) sizes, light and dark: every screen passes axe with no serious or critical violation and
 * fits; the consent screen puts who asks and for which site first and names the operator; Deny is
 * on the first screen; the loading view is themed, not black; "I'm signed in" is secondary until
 * the page has left the login page; notices appear in the trusted chrome; and every ending says in
 * plain words what happened. The agent side is scripted (scripted-agent.ts) so each state is exact.
 */
import type { Browser } from "playwright";
import { openDatabase } from "../../lib/db/open-database";
import { PhoneBot, type PhoneProfile } from "../../worker/demo/phone-bot";
import { E2E_DB, E2E_URL } from "./e2e-env";
import { expect, test } from "./fixtures";
import { checkScreen } from "./phone-checks";
import { PORTRAIT_PHONES } from "./phone-profiles";
import { scriptedHandoff } from "./scripted-agent";

const ALARMING = "URGENT — your account will be suspended within 24 hours. Visit https://evil.example/verify to keep it.";

async function reportedCount(handoffId: string): Promise<number> {
  const database = await openDatabase(`file:${E2E_DB}`);
  try {
    return await database.db.auditEvent.count({ where: { handoffId, action: "link.reported" } });
  } finally {
    await database.close();
  }
}

async function toLive(phoneBrowser: Browser, profile: PhoneProfile, colorScheme: "light" | "dark", link: string) {
  const phone = await PhoneBot.open(phoneBrowser, link, { profile, colorScheme });
  await phone.page.getByRole("button", { name: "Continue" }).click();
  await phone.page.getByRole("button", { name: "Approve" }).click();
  return phone;
}

for (const [name, profile] of PORTRAIT_PHONES) {
  for (const colorScheme of ["light", "dark"] as const) {
    const tag = `${name}-${colorScheme}`;

    test(`${tag}: consent, approve, live and done screens are accessible and say who, what and how to undo it`, async ({ phoneBrowser }) => {
      const h = await scriptedHandoff({ reason: ALARMING, identityProviders: ["localhost"] });
      const phone = await PhoneBot.open(phoneBrowser, h.link, { profile, colorScheme });
      const page = phone.page;

      // Consent: the agent and the site lead, larger than the agent's own words, which are quoted and inert.
      await expect(page.getByRole("button", { name: "Continue" })).toBeEnabled();
      await expect(page.getByTestId("operator-name")).toHaveText("run by Baton");
      const sizes = await page.evaluate(() => {
        const px = (id: string) => parseFloat(getComputedStyle(document.querySelector(`[data-testid=${id}]`)!).fontSize);
        const top = (id: string) => document.querySelector(`[data-testid=${id}]`)!.getBoundingClientRect().top;
        return { agent: px("agent-name"), site: px("target-site"), reason: px("agent-reason"), agentTop: top("agent-name"), reasonTop: top("agent-reason") };
      });
      expect(sizes.reason).toBeLessThan(sizes.agent);
      expect(sizes.reason).toBeLessThan(sizes.site);
      expect(sizes.agentTop).toBeLessThan(sizes.reasonTop);
      await expect(page.getByTestId("agent-reason")).toContainText("https://evil.example/verify");
      await expect(page.getByTestId("agent-reason").locator("a")).toHaveCount(0);
      await expect(page.getByTestId("target-site").locator("mark")).toHaveText("127.0.0.1");
      await expect(page.getByTestId("idp-note")).toHaveText(
        "You may sign in through localhost; that sign-in stays in this temporary browser, which is thrown away afterwards — Statements assistant gets only 127.0.0.1's session.",
      );
      await expect(page.getByRole("button", { name: "Deny" })).toBeVisible();
      await checkScreen(page, `${tag}-1-consent`);

      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.getByRole("button", { name: "Approve" })).toBeEnabled();
      await checkScreen(page, `${tag}-2-approve`);

      // Loading: a themed placeholder naming the site, never a black box.
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(page.getByTestId("live-skeleton")).toContainText("Opening 127.0.0.1");
      await expect(page.getByRole("heading", { level: 1, name: "Sign in to 127.0.0.1" })).toBeAttached();
      const [r, g, b] = await page.getByTestId("live-skeleton").evaluate((el) => {
        const ctx = document.createElement("canvas").getContext("2d")!;
        ctx.fillStyle = getComputedStyle(el.parentElement!).backgroundColor;
        ctx.fillRect(0, 0, 1, 1);
        return [...ctx.getImageData(0, 0, 1, 1).data];
      });
      await expect(page.getByTestId("live-view")).toBeHidden();
      // Light mode is white; dark mode is the theme's dark grey — neither is the opaque canvas's black.
      for (const channel of [r, g, b]) expect(channel).toBeGreaterThanOrEqual(colorScheme === "light" ? 245 : 12);
      if (colorScheme === "dark") for (const channel of [r, g, b]) expect(channel).toBeLessThan(60);
      await checkScreen(page, `${tag}-3-loading`);

      await h.showPicture(phoneBrowser);
      await expect(page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
      await expect(page.getByTestId("live-skeleton")).toHaveCount(0);
      const signedIn = page.getByRole("button", { name: "I'm signed in" });
      await expect(signedIn).toHaveAttribute("data-prominent", "false");
      await checkScreen(page, `${tag}-4-live`);

      // Tapped too early: the worker says nothing was created yet, and the phone says so plainly.
      await signedIn.click();
      await h.waitForMessage("signed_in");
      await h.agent.sendControl({ t: "notice", kind: "not_signed_in_yet" });
      await expect(page.getByTestId("live-notice")).toContainText("We can't see you signed in yet — keep going?");
      await checkScreen(page, `${tag}-5-not-signed-in-yet`);
      await page.getByRole("button", { name: "Dismiss" }).click();
      await expect(page.getByTestId("live-notice")).toBeEmpty();

      // A blocked navigation is a short notice that goes away by itself.
      await h.agent.sendControl({ t: "notice", kind: "navigation_blocked", site: "evil.example" });
      await expect(page.getByTestId("live-notice")).toHaveText(/Baton stopped this page from opening evil\.example\./);
      await checkScreen(page, `${tag}-6-blocked`);
      await expect(page.getByTestId("live-notice")).toBeEmpty({ timeout: 8000 });

      // Past the login page, "I'm signed in" becomes the main action.
      await h.agent.sendControl({ t: "progress", hasLeftLogin: true });
      await expect(signedIn).toHaveAttribute("data-prominent", "true");

      await h.report({ event: "live" });
      await h.report({
        event: "captured",
        cookies: [{ name: "session", domain: "127.0.0.1", path: "/", secure: false, httpOnly: true, sameSite: "Lax", expires: -1 }],
      });
      await h.report({ event: "completed" });
      await expect(page.getByRole("heading", { name: "You're done" })).toBeVisible();
      await expect(page.getByTestId("shared-summary")).toHaveText(
        /^Shared: session cookies for 127\.0\.0\.1 at \d{1,2}:\d\d(?: [AP]M)?\.To end it, sign out of 127\.0\.0\.1/,
      );
      await checkScreen(page, `${tag}-7-done`);

      await page.getByRole("button", { name: "Report this request" }).click();
      await expect(page.getByText("Thank you — Baton has been told.")).toBeVisible();
      expect(await reportedCount(h.id)).toBe(1);
      h.agent.close();
      await phone.close();
    });

    test(`${tag}: the other endings, the lost key, a link in use and an invalid link are accessible and plain`, async ({ phoneBrowser }) => {
      // Deny from the first screen.
      const declined = await scriptedHandoff();
      const denier = await PhoneBot.open(phoneBrowser, declined.link, { profile, colorScheme });
      await denier.page.getByRole("button", { name: "Deny" }).click();
      await expect(denier.page.getByRole("heading", { name: "Request declined" })).toBeVisible();
      await checkScreen(denier.page, `${tag}-8-denied`);
      await denier.close();
      declined.agent.close();

      // An identity provider out of scope: the notice, then an end screen in plain words.
      const idp = await scriptedHandoff();
      const idpPhone = await toLive(phoneBrowser, profile, colorScheme, idp.link);
      await idp.showPicture(phoneBrowser);
      await idp.agent.sendControl({ t: "notice", kind: "identity_provider_not_in_scope", site: "idp.example" });
      await expect(idpPhone.page.getByTestId("live-notice")).toContainText("This sign-in goes through idp.example, which this app isn't allowed to use.");
      await idp.report({ event: "failed", reason: "identity_provider_not_in_scope" });
      await expect(idpPhone.page.getByRole("heading", { name: "This sign-in can't be used" })).toBeVisible();
      await expect(idpPhone.page.getByText("Nothing was shared.")).toBeVisible();
      await checkScreen(idpPhone.page, `${tag}-9-idp-not-in-scope`);
      await idpPhone.close();
      idp.agent.close();

      // A sign-in page that kept leaving for a refused site: the notice named it, the end screen too.
      const loop = await scriptedHandoff();
      const loopPhone = await toLive(phoneBrowser, profile, colorScheme, loop.link);
      await loop.showPicture(phoneBrowser);
      await loop.agent.sendControl({ t: "notice", kind: "navigation_blocked", site: "evil.example" });
      await expect(loopPhone.page.getByTestId("live-notice")).toContainText("Baton stopped this page from opening evil.example.");
      await loop.report({ event: "failed", reason: "navigation_loop" });
      await expect(loopPhone.page.getByRole("heading", { name: "This sign-in page can't be used here" })).toBeVisible();
      await expect(loopPhone.page.getByText("It kept trying to open evil.example, which isn't allowed during this sign-in")).toBeVisible();
      await checkScreen(loopPhone.page, `${tag}-9b-navigation-loop`);
      await loopPhone.close();
      loop.agent.close();

      // The key left behind: the live screen says so instead of showing a black void.
      const keyless = await scriptedHandoff();
      const keylessPhone = await PhoneBot.open(phoneBrowser, keyless.link.replace(/#.*$/, ""), { profile, colorScheme });
      await keylessPhone.page.getByRole("button", { name: "Continue" }).click();
      await keylessPhone.page.getByRole("button", { name: "Approve" }).click();
      await expect(keylessPhone.page.getByTestId("missing-key")).toContainText("This page lost its secure key");
      await checkScreen(keylessPhone.page, `${tag}-10-missing-key`);

      // The same link on a second device: refused, named, reportable.
      const second = await PhoneBot.open(phoneBrowser, keyless.link, { profile, colorScheme });
      await second.page.getByRole("button", { name: "Continue" }).click();
      await expect(second.page.getByRole("heading", { name: "Already in use" })).toBeVisible();
      await expect(second.page.getByText(/Statements assistant has been told/)).toBeVisible();
      await checkScreen(second.page, `${tag}-11-in-use`);
      await second.close();
      await keylessPhone.close();
      keyless.agent.close();

      const stranger = await PhoneBot.open(phoneBrowser, `${E2E_URL}/h/${"A".repeat(43)}`, { profile, colorScheme });
      await expect(stranger.page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
      await expect(stranger.page.getByText(/This Baton is run by Baton/)).toBeVisible();
      await checkScreen(stranger.page, `${tag}-12-invalid`);
      await stranger.close();
    });
  }

  test(`${name}: when the agent goes away the phone says so and ends, instead of a frozen "Live"`, async ({ phoneBrowser }) => {
    const h = await scriptedHandoff();
    const phone = await toLive(phoneBrowser, profile, "light", h.link);
    await h.showPicture(phoneBrowser);
    await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
    const goneAt = Date.now();
    h.agent.close();
    await expect(phone.page.getByTestId("live-notice")).toContainText("The app that asked for this is not responding");
    await expect(phone.page.getByRole("heading", { name: "The app disconnected" })).toBeVisible({ timeout: 15_000 });
    expect(Date.now() - goneAt).toBeLessThan(12_000);
    await expect(phone.page.getByText("The app that asked for this disconnected. Nothing was shared.")).toBeVisible();
    await checkScreen(phone.page, `${name}-13-agent-disconnected`);
    await phone.close();
  });
}

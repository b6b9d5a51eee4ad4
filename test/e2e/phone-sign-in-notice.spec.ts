/**
 * With the real worker: on an untouched login page "I'm signed in" stays a secondary action, and
 * tapping it anyway gets a plain "We can't see you signed in yet — keep going?" in the trusted
 * chrome while the session goes on.
 */
import { type HardLoginSite, startHardLoginSite } from "../fixtures/hard-login/hard-login-site";
import { expect, test } from "./fixtures";
import { liveHandoff } from "./live-handoff";
import { checkScreen } from "./phone-checks";
import { PORTRAIT_PHONES } from "./phone-profiles";

let shop: HardLoginSite;
test.beforeAll(async () => {
  shop = await startHardLoginSite();
});
test.afterAll(async () => shop?.close());

for (const [name, profile] of PORTRAIT_PHONES) {
  test(`${name}: "I'm signed in" on the login page is secondary, and tapping it says we can't see a sign-in yet`, async ({ agentBrowser, phoneBrowser }) => {
    const { phone, result } = await liveHandoff(shop, agentBrowser, phoneBrowser, "/login", { profile });
    const signedIn = phone.page.getByRole("button", { name: "I'm signed in" });
    await expect(signedIn).toHaveAttribute("data-prominent", "false");
    await signedIn.click();
    await expect(phone.page.getByTestId("live-notice")).toContainText("We can't see you signed in yet — keep going?", { timeout: 10_000 });
    await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
    expect(await phone.state()).toMatch(/^(approved|live)$/);
    await checkScreen(phone.page, `${name}-real-not-signed-in-yet`);
    await phone.page.getByRole("button", { name: "Cancel" }).click();
    await expect(result).rejects.toThrow();
    await phone.close();
  });
}

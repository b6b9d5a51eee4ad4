/**
 * The keyboard proxy keeps the focused remote field's kind for as long as that field has focus.
 * Regression: the proxy turned from `password` into a plain text field ~0.4 s after a tap on the
 * remote password field (React, re-rendering the live view, dropped the `type` it did not own),
 * so the phone offered a visible, autocorrecting text keyboard for a password.
 */
import type { Page } from "playwright";
import { locateOnPage, type PhoneBot } from "../../worker/demo/phone-bot";
import { type HardLoginSite, startHardLoginSite } from "../fixtures/hard-login/hard-login-site";
import { expect, test } from "./fixtures";
import { liveHandoff } from "./live-handoff";
import { PORTRAIT_PHONES } from "./phone-profiles";

let shop: HardLoginSite;
test.beforeAll(async () => {
  shop = await startHardLoginSite();
});
test.afterAll(async () => shop?.close());

const PROXY = '[aria-label="Keyboard input for the remote page"]';
interface Sample {
  type: string;
  autocomplete: string | null;
  inputMode: string;
  remote: string | null;
}

/** Records the proxy's attributes on every animation frame and on every attribute change. */
async function startSampling(page: Page): Promise<void> {
  await page.evaluate((selector) => {
    const el = document.querySelector<HTMLInputElement>(selector)!;
    const samples: Sample[] = [];
    const take = () =>
      samples.push({ type: el.type, autocomplete: el.getAttribute("autocomplete"), inputMode: el.inputMode, remote: el.getAttribute("data-remote-field") });
    const observer = new MutationObserver(take);
    observer.observe(el, { attributes: true });
    let raf = requestAnimationFrame(function tick() {
      take();
      raf = requestAnimationFrame(tick);
    });
    (window as unknown as { __stopSampling: () => Sample[] }).__stopSampling = () => {
      cancelAnimationFrame(raf);
      observer.disconnect();
      return samples;
    };
  }, PROXY);
}
const stopSampling = (page: Page) => page.evaluate(() => (window as unknown as { __stopSampling: () => Sample[] }).__stopSampling());

async function typeSampled(phone: PhoneBot, text: string): Promise<Sample[]> {
  await startSampling(phone.page);
  await phone.type(text, 40);
  // Whatever the view redraws after the last key counts too.
  await phone.page.waitForTimeout(300);
  return stopSampling(phone.page);
}

for (const [name, profile] of PORTRAIT_PHONES) {
  test(`${name}: the proxy stays a password field through every typed password, tap after tap`, async ({ agentBrowser, phoneBrowser }) => {
    const { phone, result } = await liveHandoff(shop, agentBrowser, phoneBrowser, "/login", { profile });
    const at = await locateOnPage(phoneBrowser, `${shop.origin}/login`, await phone.remoteSize(), ["#username", "#password"]);
    for (let round = 0; round < 5; round++) {
      await phone.tapField(at["#username"].x, at["#username"].y);
      const userSamples = await typeSampled(phone, "ana");
      expect(userSamples.length).toBeGreaterThan(5);
      for (const s of userSamples) expect(s, `round ${round}, username`).toMatchObject({ type: "text", autocomplete: "username", remote: "text|username|" });

      await phone.tapField(at["#password"].x, at["#password"].y);
      const passwordSamples = await typeSampled(phone, shop.password);
      expect(passwordSamples.length).toBeGreaterThan(5);
      for (const s of passwordSamples)
        expect(s, `round ${round}, password`).toMatchObject({ type: "password", autocomplete: "current-password", remote: "password|current-password|" });
    }
    await phone.page.getByRole("button", { name: "Cancel" }).click();
    await expect(result).rejects.toThrow();
    await phone.close();
  });
}

/**
 * A scripted phone: a phone-sized, touch-enabled Chromium page that opens a handoff link, presses
 * Continue and Approve, and signs in through the live view by tapping and typing — exactly what a
 * person does. It powers `npm run demo -- --auto` and the end-to-end tests.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright";

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
} as const;

/** An Android-sized phone: the narrowest common viewport. */
export const ANDROID = {
  viewport: { width: 360, height: 800 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
} as const;

/** What a phone is to the bot: its screen, density, touch and user agent. */
export interface PhoneProfile {
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
  userAgent: string;
}

export class PhoneBot {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** @param options.beforeOpen runs on the new page before it loads the link (to attach listeners, add init scripts); awaited. */
  static async open(
    browser: Browser,
    link: string,
    options: { colorScheme?: "light" | "dark"; profile?: PhoneProfile; beforeOpen?: (page: Page) => unknown } = {},
  ): Promise<PhoneBot> {
    const context = await browser.newContext({ ...(options.profile ?? PHONE), colorScheme: options.colorScheme ?? "light" });
    const page = await context.newPage();
    await options.beforeOpen?.(page);
    await page.goto(link);
    return new PhoneBot(context, page);
  }

  get liveView(): Locator {
    return this.page.getByTestId("live-view");
  }

  async state(): Promise<string> {
    return (await this.page.getByTestId("handoff-state").first().textContent())?.trim() ?? "";
  }

  async waitForState(state: string, timeoutMs = 20_000): Promise<void> {
    await this.page
      .getByTestId("handoff-state")
      .first()
      .filter({ hasText: new RegExp(`^${state}$`) })
      .waitFor({ timeout: timeoutMs });
  }

  async continueAndApprove(): Promise<void> {
    await this.page.getByRole("button", { name: "Continue" }).click();
    await this.page.getByRole("button", { name: "Approve" }).click();
    await this.waitForState("live", 30_000);
    await this.waitForRemoteSize();
  }

  async waitForRemoteSize(): Promise<{ width: number; height: number }> {
    await this.page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="live-view"]');
        return Boolean(el && Number(el.getAttribute("data-remote-width")) > 0);
      },
      undefined,
      { timeout: 20_000 },
    );
    return this.remoteSize();
  }

  async remoteSize(): Promise<{ width: number; height: number }> {
    const [width, height] = await this.liveView.evaluate((el) => [Number(el.getAttribute("data-remote-width")), Number(el.getAttribute("data-remote-height"))]);
    return { width, height };
  }

  /** Taps the live view where the remote page has (x, y) in its own CSS pixels. */
  async tapRemote(x: number, y: number): Promise<void> {
    const box = await this.liveView.boundingBox();
    if (!box) throw new Error("live view is not visible");
    const remote = await this.remoteSize();
    await this.page.touchscreen.tap(box.x + (x * box.width) / remote.width, box.y + (y * box.height) / remote.height);
  }

  /** True while the phone's keyboard is up (its input proxy has focus). */
  keyboardIsUp(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement?.getAttribute("aria-label") === "Keyboard input for the remote page");
  }

  /**
   * Taps a field of the remote page and waits until the phone's keyboard is up for that field (the
   * remote page reported its focus). Like a person whose tap did not take, it taps once more.
   */
  async tapField(x: number, y: number): Promise<void> {
    const proxy = this.page.getByLabel("Keyboard input for the remote page");
    const before = await proxy.getAttribute("data-remote-field");
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.tapRemote(x, y);
      const moved = await this.page
        .waitForFunction(
          (previous) => {
            const el = document.activeElement;
            const field = el?.getAttribute("data-remote-field");
            return el?.getAttribute("aria-label") === "Keyboard input for the remote page" && Boolean(field) && field !== previous;
          },
          before,
          { timeout: 4000 },
        )
        .then(
          () => true,
          () => false,
        );
      if (moved) return;
    }
    throw new Error(`the remote page did not focus a field at (${Math.round(x)}, ${Math.round(y)})`);
  }

  /** Types like a person on an on-screen keyboard: one key at a time. */
  async type(text: string, delayMs = 25): Promise<void> {
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  async press(key: "Enter" | "Backspace" | "Tab"): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Where a page's elements are, seen at the remote viewport's size: the bot looks at the same page
 * at the same size, as a person would look at the picture, to know where to tap.
 */
export async function locateOnPage(browser: Browser, url: string, size: { width: number; height: number }, selectors: string[]) {
  const context = await browser.newContext({ viewport: size, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const boxes: Record<string, { x: number; y: number }> = {};
    for (const selector of selectors) {
      const box = await page.locator(selector).boundingBox();
      if (!box) throw new Error(`${selector} not found on ${url}`);
      boxes[selector] = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }
    return boxes;
  } finally {
    await context.close();
  }
}

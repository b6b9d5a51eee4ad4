/**
 * Signing in through the live view as a phone does it — iPhone- and Android-sized, touch, mobile
 * user agent — against the walls phones find hardest: a slider check, a non-ASCII password, a TOTP
 * field, an OAuth popup, a login form in a cross-origin iframe; plus fast typing, paste and IME,
 * rotation, and a connection that drops mid-typing.
 */
import type { Browser, CDPSession, Page } from "playwright";
import { BatonClient, type HandoffLink, type HandoffOptions } from "../../worker";
import { ANDROID, PHONE, PhoneBot, type PhoneProfile, locateOnPage } from "../../worker/demo/phone-bot";
import { type HardLoginSite, startHardLoginSite } from "../fixtures/hard-login/hard-login-site";
import { E2E_URL } from "./e2e-env";
import { createAgent, expect, test } from "./fixtures";

let shop: HardLoginSite;
test.beforeAll(async () => {
  shop = await startHardLoginSite();
});
test.afterAll(async () => shop?.close());

const PROXY = '[aria-label="Keyboard input for the remote page"]';

/** Starts a handoff on `path` of the shop and brings a phone to the live view. */
async function liveHandoff(
  agentBrowser: Browser,
  phoneBrowser: Browser,
  path: string,
  options: { profile?: PhoneProfile; idp?: boolean; extra?: Partial<HandoffOptions>; beforeOpen?: (page: Page) => unknown } = {},
) {
  const { apiKey } = await createAgent([shop.origin], "Shop assistant", options.idp ? ["localhost"] : []);
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${shop.origin}${path}`);
  let deliver!: (link: HandoffLink) => void;
  const link = new Promise<HandoffLink>((r) => (deliver = r));
  const result = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, {
    reason: "Reorder your usual groceries",
    success: { url: /\/account/ },
    onLink: deliver,
    ...(options.idp ? { identityProviders: ["localhost"], trustedPrivateOrigins: [shop.idpOrigin] } : {}),
    ...options.extra,
  });
  result.catch(() => undefined);
  const phone = await PhoneBot.open(phoneBrowser, (await link).url, { profile: options.profile, beforeOpen: options.beforeOpen });
  await phone.continueAndApprove();
  await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
  const size = await phone.remoteSize();
  return { agentPage, phone, result, size };
}

/** Where elements of a shop page are at the remote viewport's size. */
const locate = (browser: Browser, path: string, size: { width: number; height: number }, selectors: string[]) =>
  locateOnPage(browser, `${shop.origin}${path}`, size, selectors);

/** A finger drag on the live view from one remote point to another, in many small moves. */
async function dragRemote(phone: PhoneBot, from: { x: number; y: number }, to: { x: number; y: number }, steps = 20) {
  const box = (await phone.liveView.boundingBox())!;
  const remote = await phone.remoteSize();
  const at = (p: { x: number; y: number }) => ({ x: box.x + (p.x * box.width) / remote.width, y: box.y + (p.y * box.height) / remote.height });
  const cdp = await phone.context.newCDPSession(phone.page);
  const start = at(from);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [start] });
  for (let i = 1; i <= steps; i++) {
    const p = at({ x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [p] });
    await phone.page.waitForTimeout(20);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}

/** The handoff's own tab in the agent's browser (the test reads the remote page from it). */
function remotePage(agentBrowser: Browser, agentPage: Page, path: string): Page {
  for (const context of agentBrowser.contexts())
    for (const page of context.pages()) if (page !== agentPage && new URL(page.url()).pathname === path) return page;
  throw new Error(`no handoff page at ${path}`);
}

const proxyAttrs = (phone: PhoneBot) =>
  phone.page.locator(PROXY).evaluate((el: HTMLInputElement) => ({
    type: el.type,
    inputMode: el.inputMode,
    autocomplete: el.getAttribute("autocomplete"),
    remote: el.getAttribute("data-remote-field"),
  }));

for (const [name, profile] of [
  ["iphone", PHONE],
  ["android", ANDROID],
] as const) {
  test(`${name}: slider check, non-ASCII password and TOTP through the live view`, async ({ agentBrowser, phoneBrowser }) => {
    const { agentPage, phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/login", { profile });
    const at = await locate(phoneBrowser, "/login", size, ["#heading", "#username", "#password", "#knob", "#submit"]);

    // A tap on text opens no keyboard; a tap on a field does, of the field's kind.
    await phone.tapRemote(at["#heading"].x, at["#heading"].y);
    await phone.page.waitForTimeout(400);
    expect(await phone.keyboardIsUp()).toBe(false);
    await phone.tapField(at["#username"].x, at["#username"].y);
    await expect.poll(() => proxyAttrs(phone)).toMatchObject({ type: "text", autocomplete: "username" });
    await phone.type(shop.username);
    await phone.tapField(at["#password"].x, at["#password"].y);
    await expect.poll(() => proxyAttrs(phone)).toMatchObject({ type: "password" });
    await phone.type(shop.password);

    await dragRemote(phone, at["#knob"], { x: at["#knob"].x + 270, y: at["#knob"].y });
    await expect
      .poll(() => remotePage(agentBrowser, agentPage, "/login").evaluate(() => document.getElementById("track")!.hasAttribute("data-solved")))
      .toBe(true);
    // A finger lifted from the slider needs a moment to reach the button; a tap that lands while
    // the drag's gesture is still settling is taken by the page as the end of that gesture.
    await phone.page.waitForTimeout(400);
    await phone.tapRemote(at["#submit"].x, at["#submit"].y);

    // The code page focuses its field itself: the keyboard comes up as a numeric one-time-code pad.
    await expect.poll(() => phone.keyboardIsUp(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => proxyAttrs(phone)).toMatchObject({ type: "text", inputMode: "numeric", autocomplete: "one-time-code" });
    await phone.page.screenshot({ path: `test-results/e2e/screens/${name}-otp-keyboard.png` });
    await phone.type(shop.currentCode());
    await phone.press("Enter");

    const done = await result;
    expect(done.cookies.map((c) => c.name)).toEqual(["shop_session"]);
    await agentPage.goto(`${shop.origin}/account`);
    await expect(agentPage.locator("#welcome")).toHaveText("Welcome back, ana");
    await phone.waitForState("completed");
    await phone.close();
  });
}

test("an OAuth popup is shown, typed into, and the view returns to the page when it closes", async ({ agentBrowser, phoneBrowser }) => {
  const { agentPage, phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/login-sso", { idp: true });
  const at = await locate(phoneBrowser, "/login-sso", size, ["#sso"]);
  await phone.tapRemote(at["#sso"].x, at["#sso"].y);
  await expect(phone.page.getByTestId("remote-origin")).toContainText("localhost", { timeout: 10_000 });
  const idpAt = await locateOnPage(phoneBrowser, `${shop.idpOrigin}/authorize`, size, ["#username", "#password"]);
  await phone.tapField(idpAt["#username"].x, idpAt["#username"].y);
  await phone.type(shop.username);
  await phone.tapField(idpAt["#password"].x, idpAt["#password"].y);
  await phone.type(shop.password);
  await phone.press("Enter");
  const done = await result;
  // The identity provider was visited, never handed over: its session stays in the handoff browser.
  expect(done.cookies.map((c) => `${c.name}@${c.domain}`).sort()).toEqual(["shop_session@127.0.0.1"]);
  expect((await agentPage.context().cookies()).some((c) => c.domain === "localhost")).toBe(false);
  await phone.waitForState("completed");
  await phone.close();
  await agentPage.goto(`${shop.origin}/account`);
  await expect(agentPage.locator("#welcome")).toBeVisible();
});

test("a popup the person does not want can be closed from the phone, and the view returns", async ({ agentBrowser, phoneBrowser }) => {
  const { phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/login-sso", { idp: true });
  const at = await locate(phoneBrowser, "/login-sso", size, ["#sso"]);
  await expect(phone.page.getByRole("button", { name: "Close this window" })).toHaveCount(0);
  await phone.tapRemote(at["#sso"].x, at["#sso"].y);
  await expect(phone.page.getByTestId("remote-origin")).toContainText("localhost", { timeout: 10_000 });
  await phone.page.getByRole("button", { name: "Close this window" }).click();
  await expect(phone.page.getByTestId("remote-origin")).toContainText("127.0.0.1", { timeout: 10_000 });
  await expect(phone.page.getByRole("button", { name: "Close this window" })).toHaveCount(0);
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

test("a login form in a cross-origin iframe takes taps and typing", async ({ agentBrowser, phoneBrowser }) => {
  const { phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/login-embedded", { profile: ANDROID, idp: true });
  const frame = (await locate(phoneBrowser, "/login-embedded", size, ["#idp"]))["#idp"];
  const inFrame = await locateOnPage(phoneBrowser, `${shop.idpOrigin}/embedded`, { width: size.width, height: size.height }, ["#username", "#password"]);
  // The frame's box starts at its top-left; its fields sit at their own offsets inside it.
  const frameBox = await (async () => {
    const context = await phoneBrowser.newContext({ viewport: size, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${shop.origin}/login-embedded`);
    const b = (await page.locator("#idp").boundingBox())!;
    await context.close();
    return b;
  })();
  expect(frame.x).toBeGreaterThan(0);
  const inside = (p: { x: number; y: number }) => ({ x: frameBox.x + 1 + p.x, y: frameBox.y + 1 + p.y });
  const user = inside(inFrame["#username"]);
  const pass = inside(inFrame["#password"]);
  await phone.tapField(user.x, user.y);
  await phone.type(shop.username);
  await phone.tapField(pass.x, pass.y);
  await expect.poll(() => proxyAttrs(phone)).toMatchObject({ type: "password" });
  await phone.type(shop.password);
  await phone.press("Enter");
  expect((await result).status).toBe("completed");
  await phone.close();
});

test("200 characters typed fast, a paste and an IME composition arrive exactly", async ({ agentBrowser, phoneBrowser }) => {
  const { agentPage, phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/notes", { extra: { success: { selector: "#never" } } });
  const at = await locate(phoneBrowser, "/notes", size, ["#notes"]);
  await phone.tapField(at["#notes"].x, at["#notes"].y);
  let typed = "";
  for (let i = 0; i < 200; i++) typed += "abcdefghijklmnopqrstuvwxyz0123456789 äöüß"[(i * 7) % 41];
  await phone.type(typed, 8);
  await phone.page.locator(PROXY).evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, "|pasted-パスワード");
  const cdp = await phone.context.newCDPSession(phone.page);
  await cdp.send("Input.imeSetComposition", { text: "に", selectionStart: 1, selectionEnd: 1 });
  await cdp.send("Input.imeSetComposition", { text: "にほん", selectionStart: 3, selectionEnd: 3 });
  await cdp.send("Input.insertText", { text: "日本" });
  const remote = remotePage(agentBrowser, agentPage, "/notes");
  const expected = `${typed}|pasted-パスワード日本`;
  await expect.poll(() => remote.evaluate(() => (document.getElementById("notes") as HTMLTextAreaElement).value), { timeout: 15_000 }).toBe(expected);
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

/** Records the type of every frame picture the phone decodes (the 44-byte format probe aside); `withoutWebp`: its browser refuses WebP, as one that lacks it. */
const recordDecodes = (withoutWebp: boolean) => (page: Page) =>
  page.addInitScript((refuse) => {
    const decoded: string[] = [];
    (window as unknown as { __decoded: string[] }).__decoded = decoded;
    const native = window.createImageBitmap.bind(window);
    window.createImageBitmap = (source: ImageBitmapSource) => {
      if (refuse && source instanceof Blob && source.type === "image/webp") return Promise.reject(new DOMException("no WebP", "InvalidStateError"));
      if (source instanceof Blob && source.size > 100) decoded.push(source.type);
      return native(source);
    };
  }, withoutWebp);

/** One DevTools session per phone: conditions set through one are not lifted by another (measured). */
const throttles = new WeakMap<PhoneBot, Promise<CDPSession>>();

/** A weak mobile link for the phone: 0.4 s round trips and 40 KB/s each way (or back to none). */
async function throttle(phone: PhoneBot, isWeak: boolean) {
  if (!throttles.has(phone))
    throttles.set(
      phone,
      phone.context.newCDPSession(phone.page).then(async (cdp) => {
        await cdp.send("Network.enable");
        return cdp;
      }),
    );
  const cdp = await throttles.get(phone)!;
  await cdp.send(
    "Network.emulateNetworkConditions",
    isWeak
      ? { offline: false, latency: 400, downloadThroughput: 40_000, uploadThroughput: 40_000 }
      : { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
  );
}

async function slowLinkHandoff(agentBrowser: Browser, phoneBrowser: Browser, withoutWebp: boolean) {
  const handoff = await liveHandoff(agentBrowser, phoneBrowser, "/notes", {
    extra: { success: { selector: "#never" } },
    beforeOpen: recordDecodes(withoutWebp),
  });
  const { agentPage, phone, size } = handoff;
  const decoded = () => phone.page.evaluate(() => (window as unknown as { __decoded: string[] }).__decoded.slice());
  const remote = remotePage(agentBrowser, agentPage, "/notes");
  const at = await locate(phoneBrowser, "/notes", size, ["#notes"]);
  await phone.tapField(at["#notes"].x, at["#notes"].y);
  let typed = "";
  const typeMore = async (text: string) => {
    typed += text;
    await phone.type(text, 150);
    await expect.poll(() => remote.evaluate(() => (document.getElementById("notes") as HTMLTextAreaElement).value), { timeout: 20_000 }).toBe(typed);
  };
  return { ...handoff, decoded, typeMore };
}

test("on a slow link the frames come as WebP and keep showing what is typed, and JPEG again once the link is fast", async ({ agentBrowser, phoneBrowser }) => {
  const { phone, result, decoded, typeMore } = await slowLinkHandoff(agentBrowser, phoneBrowser, false);
  // JPEG on the fast link first (the first frames of a server just started can be slow enough to count as a slow link).
  // The tuner calls the link fast again once its smoothed draw time and time per KB are low again, a few frames after they are.
  const untilJpeg = async (when: string) => {
    const until = Date.now() + 25_000;
    while (Date.now() < until && (await decoded()).at(-1) !== "image/jpeg") await typeMore(".");
    expect((await decoded()).at(-1), when).toBe("image/jpeg");
  };
  await untilJpeg("before the link is slowed");
  await throttle(phone, true);
  await typeMore("slow ");
  await expect.poll(async () => (await decoded()).at(-1), { timeout: 20_000, intervals: [200] }).toBe("image/webp");
  // Typing goes on over WebP frames, each drawn.
  const webpBefore = (await decoded()).filter((t) => t === "image/webp").length;
  await typeMore("link");
  await expect.poll(async () => (await decoded()).filter((t) => t === "image/webp").length, { timeout: 20_000 }).toBeGreaterThan(webpBefore);
  await phone.page.screenshot({ path: "test-results/e2e/screens/iphone-slow-link-webp.png" });

  await throttle(phone, false);
  await untilJpeg("once the link is fast again");
  await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

test("a phone without WebP gets JPEG on the same slow link, and sees what is typed", async ({ agentBrowser, phoneBrowser }) => {
  const { phone, result, decoded, typeMore } = await slowLinkHandoff(agentBrowser, phoneBrowser, true);
  await throttle(phone, true);
  // As long as the phone above took to get WebP frames, and longer.
  await typeMore("slow link, no webp");
  await typeMore(" still");
  const types = await decoded();
  expect(types.length).toBeGreaterThan(10);
  expect(new Set(types)).toEqual(new Set(["image/jpeg"]));
  await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

test("rotating the phone resizes the remote page; a dropped connection resumes without losing typing", async ({ agentBrowser, phoneBrowser }) => {
  const { agentPage, phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/notes", {
    extra: { success: { selector: "#never" } },
    // Keep a handle on the phone's WebSockets, to cut them as a tunnel or a Wi-Fi → LTE switch would.
    beforeOpen: (page) =>
      page.addInitScript(() => {
        const sockets: WebSocket[] = [];
        (window as unknown as { __cut: () => void }).__cut = () => sockets.forEach((s) => s.close());
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            sockets.push(this);
          }
        };
      }),
  });
  const remote = remotePage(agentBrowser, agentPage, "/notes");

  // On its side the phone keeps the full height for the page; the chrome moves to a side rail.
  await phone.page.setViewportSize({ width: 844, height: 390 });
  await expect.poll(async () => (await phone.remoteSize()).height, { timeout: 10_000 }).toBe(390);
  const sideways = Math.floor((await phone.liveView.boundingBox())!.width);
  expect(sideways).toBeGreaterThan(600);
  await expect.poll(async () => (await phone.remoteSize()).width).toBe(sideways);
  await expect.poll(() => remote.evaluate(() => innerWidth)).toBe(sideways);
  await phone.page.screenshot({ path: "test-results/e2e/screens/iphone-landscape-live.png" });
  await phone.page.setViewportSize(PHONE.viewport);
  await expect.poll(async () => (await phone.remoteSize()).width, { timeout: 10_000 }).toBe(size.width);

  const at = await locate(phoneBrowser, "/notes", size, ["#notes"]);
  await phone.tapField(at["#notes"].x, at["#notes"].y);
  await phone.type("before-");
  const cutAt = Date.now();
  await phone.page.evaluate(() => (window as unknown as { __cut: () => void }).__cut());
  await expect(phone.page.getByRole("status").filter({ hasText: /reconnecting/i })).toBeVisible();
  await phone.type("during-");
  await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible({ timeout: 10_000 });
  const resumedMs = Date.now() - cutAt;
  await phone.type("after");
  await expect
    .poll(() => remote.evaluate(() => (document.getElementById("notes") as HTMLTextAreaElement).value), { timeout: 10_000 })
    .toBe("before-during-after");
  expect(resumedMs).toBeLessThan(5000);
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

test("double-tap, long-press and a flick reach the remote page as the gestures they are", async ({ agentBrowser, phoneBrowser }) => {
  const { agentPage, phone, result, size } = await liveHandoff(agentBrowser, phoneBrowser, "/gestures", { extra: { success: { selector: "#never" } } });
  const remote = remotePage(agentBrowser, agentPage, "/gestures");
  const pad = (await locate(phoneBrowser, "/gestures", size, ["#pad"]))["#pad"];
  const box = (await phone.liveView.boundingBox())!;
  const at = { x: box.x + (pad.x * box.width) / size.width, y: box.y + (pad.y * box.height) / size.height };
  const cdp = await phone.context.newCDPSession(phone.page);
  const touch = (type: "touchStart" | "touchEnd" | "touchMove", p?: { x: number; y: number }, timestamp?: number) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: p ? [p] : [], ...(timestamp ? { timestamp } : {}) });

  await phone.page.touchscreen.tap(at.x, at.y);
  await phone.page.waitForTimeout(80);
  await phone.page.touchscreen.tap(at.x, at.y);
  await expect.poll(() => remote.evaluate(() => document.getElementById("pad")!.dataset.dbl)).toBe("1");

  await touch("touchStart", at);
  await phone.page.waitForTimeout(900);
  await touch("touchEnd");
  await expect.poll(() => remote.evaluate(() => document.getElementById("pad")!.dataset.long)).toBe("1");

  // A quick upward flick scrolls the page, and keeps scrolling a little after the finger lifts.
  // The finger's own times are given, so the flick has the same speed however busy this machine is.
  const from = { x: at.x, y: box.y + box.height * 0.8 };
  const t0 = Date.now() / 1000;
  await touch("touchStart", from, t0);
  for (let i = 1; i <= 6; i++) {
    await touch("touchMove", { x: from.x, y: from.y - i * 40 }, t0 + i * 0.016);
    await phone.page.waitForTimeout(16);
  }
  await touch("touchEnd", undefined, t0 + 0.112);
  const afterLift = await remote.evaluate(() => scrollY);
  await phone.page.waitForTimeout(1000);
  const settled = await remote.evaluate(() => scrollY);
  expect(afterLift).toBeGreaterThan(100);
  expect(settled).toBeGreaterThan(afterLift);
  await phone.page.getByRole("button", { name: "Cancel" }).click();
  await expect(result).rejects.toThrow();
  await phone.close();
});

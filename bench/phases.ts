/** The benchmark's measurements, each on the phone side unless it says otherwise. */
import type { Browser, BrowserContext, Page } from "playwright";
import { LAYOUT } from "./bench-site";
import { center, type LiveSession, tapRemote } from "./harness";
import { measure, readCounters } from "./phone-probe";
import { fidelity, summarize, type Summary } from "./stats";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function focusField(session: LiveSession, box: (typeof LAYOUT)[keyof typeof LAYOUT]): Promise<void> {
  const c = center(box);
  await tapRemote(session, c.x, c.y);
  await sleep(300);
}

/** Keystroke → the frame showing the character drawn on the phone's canvas. */
export async function keystrokes(
  session: LiveSession,
  samples: number,
  warmup = 20,
  timeoutMs = 1000,
): Promise<{ latency: Summary; samples: (number | null)[]; bytesPerSecond: number }> {
  await focusField(session, LAYOUT.field);
  const type = (i: number) => measure(session.phone, LAYOUT.field, "key", () => session.phone.keyboard.type(LETTERS[i % 26]), timeoutMs);
  for (let i = 0; i < warmup; i++) await type(i);
  const before = await readCounters(session.phone);
  const values: (number | null)[] = [];
  for (let i = 0; i < samples; i++) values.push(await type(i));
  const after = await readCounters(session.phone);
  return { latency: summarize(values), samples: values, bytesPerSecond: ((after.bytesIn - before.bytesIn) * 1000) / (after.now - before.now) };
}

/** Bytes per second the phone receives while someone types at a brisk human pace. */
export async function typingBandwidth(session: LiveSession, keysPerSecond = 8, seconds = 6): Promise<number> {
  await focusField(session, LAYOUT.field);
  const before = await readCounters(session.phone);
  for (let i = 0; i < keysPerSecond * seconds; i++) {
    await session.phone.keyboard.type(LETTERS[i % 26]);
    await sleep(1000 / keysPerSecond);
  }
  const after = await readCounters(session.phone);
  return ((after.bytesIn - before.bytesIn) * 1000) / (after.now - before.now);
}

/** A tap on a button → the frame showing the colour it toggles (one value per tap, null for a timeout). */
export async function taps(session: LiveSession, samples: number): Promise<(number | null)[]> {
  const c = center(LAYOUT.tapButton);
  const values: (number | null)[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const v = await measure(session.phone, LAYOUT.tapBox, "pointer", () => tapRemote(session, c.x, c.y));
    if (i >= 5) values.push(v);
    await sleep(60); // taps closer than a double-tap would be read as one
  }
  return values;
}

/** Frames drawn per second while the remote page animates, then while it is idle. */
export async function frameRates(session: LiveSession): Promise<{ animating: number; idle: number }> {
  const toggle = () => tapRemote(session, center(LAYOUT.animButton).x, center(LAYOUT.animButton).y);
  const rate = async (ms: number) => {
    const a = await readCounters(session.phone);
    await sleep(ms);
    const b = await readCounters(session.phone);
    return Math.round(((b.drawCount - a.drawCount) * 10_000) / (b.now - a.now)) / 10;
  };
  await toggle();
  await sleep(1000);
  const animating = await rate(5000);
  await toggle();
  await sleep(1500);
  const idle = await rate(3000);
  return { animating, idle };
}

/** 1,000 characters typed quickly (some non-ASCII), a paste and an IME composition: what arrives? */
export async function inputFidelity(session: LiveSession, agentBrowser: Browser, siteUrl: string): Promise<{ typed: number; lost: number; doubled: number }> {
  await focusField(session, LAYOUT.longField);
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_@éüßñ";
  let text = "";
  for (let i = 0; i < 1000; i++) text += alphabet[(i * 7 + (i >> 3)) % alphabet.length];
  await session.phone.keyboard.type(text, { delay: 4 });
  const pasted = "pasted-ÅÄÖ-密码-123";
  await session.phone.evaluate((value) => {
    const data = new DataTransfer();
    data.setData("text/plain", value);
    document.activeElement?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, pasted);
  const cdp = await session.phone.context().newCDPSession(session.phone);
  await cdp.send("Input.imeSetComposition", { text: "に", selectionStart: 1, selectionEnd: 1 });
  await cdp.send("Input.imeSetComposition", { text: "にほん", selectionStart: 3, selectionEnd: 3 });
  await cdp.send("Input.insertText", { text: "日本" });
  const expected = text + pasted + "日本";
  const remote = findHandoffPage(agentBrowser, siteUrl, session.agentPage);
  let actual: string;
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    actual = await remote.evaluate(() => (document.querySelector("#long") as HTMLTextAreaElement).value);
    if (actual.length >= [...expected].length) break;
  }
  await sleep(500);
  actual = await remote.evaluate(() => (document.querySelector("#long") as HTMLTextAreaElement).value);
  const { lost, extra } = fidelity(expected, actual);
  return { typed: [...expected].length, lost, doubled: extra };
}

/** The handoff tab itself, in the agent's browser (the benchmark reads the remote field from it). */
function findHandoffPage(browser: Browser, siteUrl: string, agentPage: Page): Page {
  for (const context of browser.contexts()) {
    for (const page of context.pages()) if (page !== agentPage && page.url() === siteUrl) return page;
  }
  throw new Error("handoff page not found");
}

/**
 * A weak mobile link for the phone's page: 50 KB/s each way, by Chromium's network emulation. (Its
 * added latency delays a connection's handshake, not each WebSocket message — measured: keystrokes
 * came back well inside an added 300 ms — so the link here is narrow, not far.)
 */
export const WEAK_LINK = { bytesPerSecond: 50_000 };

/**
 * Keystroke → visible and the bytes at a typing pace with the phone on WEAK_LINK: once for a phone
 * that decodes WebP and once for one that does not (its `createImageBitmap` refuses WebP, so its
 * format probe finds none and its `decodes` message names none), on two sessions the caller opens alike.
 */
export async function weakLink(session: LiveSession, samples: number): Promise<{ samples: (number | null)[]; kBps: number; bytesPerFrame: number }> {
  const cdp = await session.phoneContext.newCDPSession(session.phone);
  await cdp.send("Network.enable");
  const { bytesPerSecond } = WEAK_LINK;
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  // The warm-up lets the worker see the slow link (frame-tuner.ts) before anything counts.
  const typed = await keystrokes(session, samples, 15, 5000);
  const before = await readCounters(session.phone);
  const bytes = await typingBandwidth(session);
  const after = await readCounters(session.phone);
  const frames = after.drawCount - before.drawCount;
  return { samples: typed.samples, kBps: bytes / 1024, bytesPerFrame: frames > 0 ? (after.bytesIn - before.bytesIn) / frames : 0 };
}

/** For `phoneInit`: the phone's page cannot decode WebP. */
export async function withoutWebp(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const native = window.createImageBitmap.bind(window);
    window.createImageBitmap = (source: ImageBitmapSource) =>
      source instanceof Blob && source.type === "image/webp" ? Promise.reject(new DOMException("no WebP here", "InvalidStateError")) : native(source);
  });
}

/**
 * WebP frames for a slow link: the screencast and captures run in the format asked for, a Chromium
 * that refuses WebP streams JPEG from then on, and the phone tells the two apart by their bytes.
 */
import type { CDPSession } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeToWorker, encodeControl, frameImageType } from "../../lib/protocol/stream";
import { ANIMATING_FPS, ANIMATING_WINDOW_MS, Screencast } from "../../worker/screencast";
import { FakeCdp } from "../helpers/fake-cdp";
import { FakeTimers } from "../helpers/fake-timers";

const VIEW = { quality: 60, maxWidth: 390, maxHeight: 700 };

function setup() {
  const cdp = new FakeCdp();
  const timers = new FakeTimers();
  const formats: string[] = [];
  const capture = async (_quality: number, format: string) => {
    formats.push(format);
    // The same picture each time: after a few, the page counts as still and the screencast takes over.
    return { width: 390, height: 700, image: Buffer.from("shot") };
  };
  // The phone draws each frame at once.
  const screencast: Screencast = new Screencast({
    cdp: cdp as unknown as CDPSession,
    deliver: (f) => queueMicrotask(() => screencast.drawn(f.seq)),
    timers,
    capture,
  });
  return { cdp, timers, formats, screencast };
}

describe("frame formats", () => {
  it("starts Chromium's screencast in the format asked for, and restarts it when the format changes", async () => {
    const { cdp, screencast } = setup();
    await screencast.start({ ...VIEW, format: "jpeg" });
    await screencast.start({ ...VIEW, format: "webp" });
    await screencast.start({ ...VIEW, format: "jpeg" });
    expect(cdp.starts.map((s) => s.format)).toEqual(["jpeg", "webp", "jpeg"]);
    expect(cdp.calls.filter((c) => c === "Page.stopScreencast")).toHaveLength(2);
  });

  it("streams JPEG, and asks for WebP no more, once this Chromium refused it", async () => {
    const { cdp, screencast } = setup();
    cdp.refuseFormat("webp");
    await screencast.start({ ...VIEW, format: "webp" });
    await screencast.start({ ...VIEW, format: "jpeg" });
    await screencast.start({ ...VIEW, format: "webp" });
    expect(cdp.starts.map((s) => s.format)).toEqual(["webp", "jpeg", "jpeg", "jpeg"]);
    // The frames still come.
    screencast.viewerReady();
    cdp.frame(1);
    expect(screencast.lastFrame?.image.toString()).toBe("jpeg-1");
  });

  it("streams JPEG from then on where Chromium takes WebP and sends something else", async () => {
    const { cdp, screencast } = setup();
    await screencast.start({ ...VIEW, format: "webp" });
    screencast.viewerReady();
    cdp.frame(1); // not WebP
    await new Promise((resolve) => setImmediate(resolve));
    cdp.frame(2);
    await screencast.start({ ...VIEW, format: "webp", quality: 50 });
    expect(cdp.starts.map((s) => s.format)).toEqual(["webp", "jpeg", "jpeg"]);
    expect(screencast.lastFrame?.image.toString()).toBe("jpeg-2");
  });

  it("does not take a page that is closing for a refusal of WebP", async () => {
    const { cdp, screencast } = setup();
    // Both the WebP start and the JPEG one after it fail: the page is going, not refusing WebP.
    cdp.failOnce("Page.startScreencast");
    cdp.failOnce("Page.startScreencast");
    await expect(screencast.start({ ...VIEW, format: "webp" })).rejects.toThrow("Target closed");
    await screencast.start({ ...VIEW, format: "webp", quality: 50 });
    expect(cdp.starts.map((s) => s.format)).toEqual(["webp", "jpeg", "webp"]);
    expect(cdp.starts.at(-1)).toEqual({ format: "webp", quality: 50 });
  });

  it("captures an animating page in the running format", async () => {
    const { cdp, timers, formats, screencast } = setup();
    await screencast.start({ ...VIEW, format: "webp" });
    screencast.viewerReady();
    for (let n = 1; n <= Math.ceil((ANIMATING_FPS * ANIMATING_WINDOW_MS) / 1000); n++) {
      cdp.frame(n);
      await timers.advance(5);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(formats.length).toBeGreaterThan(0);
    expect(new Set(formats)).toEqual(new Set(["webp"]));
  });

  it("tells WebP from JPEG by the picture's first bytes", async () => {
    const pixel = sharp({ create: { width: 2, height: 2, channels: 3, background: "#fff" } });
    expect(frameImageType(await pixel.clone().webp().toBuffer())).toBe("image/webp");
    expect(frameImageType(await pixel.clone().jpeg().toBuffer())).toBe("image/jpeg");
    expect(frameImageType(await pixel.clone().png().toBuffer())).toBe("image/png");
    expect(frameImageType(Buffer.from("RIFF\0\0\0\0WAVEfmt "))).toBe("image/jpeg");
    expect(frameImageType(new Uint8Array([0x52, 0x49]))).toBe("image/jpeg");
  });

  it("accepts a hello that names the formats a phone decodes, and refuses one it does not know", () => {
    const hello = (decodes: unknown) => decodeToWorker(encodeControl({ t: "hello", viewport: { width: 390, height: 844, dpr: 3 }, decodes } as never));
    expect(hello(["webp"])).toMatchObject({ ok: true, message: { decodes: ["webp"] } });
    expect(hello(undefined)).toMatchObject({ ok: true });
    expect(hello(["png"])).toMatchObject({ ok: false });
    expect(hello(["webp", "webp"])).toMatchObject({ ok: false });
  });
});

/**
 * WebP frames for a slow link: the screencast and captures run in the format asked for, a Chromium
 * that refuses WebP streams JPEG from then on, and the phone tells the two apart by their bytes.
 */
import type { CDPSession } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeToWorker, encodeControl, frameImageType } from "../../lib/protocol/stream";
import { FrameTuning } from "../../worker/frame-tuner";
import { ANIMATING_FPS, ANIMATING_WINDOW_MS, Screencast } from "../../worker/screencast";
import { NOT_WEBP_FRAMES } from "../../worker/webp-support";
import { FakeCdp } from "../helpers/fake-cdp";
import { FakeTimers } from "../helpers/fake-timers";

const VIEW = { quality: 60, maxWidth: 390, maxHeight: 700 };
/** The first bytes of a WebP picture, which is all the screencast looks at. */
const WEBP = Buffer.from("RIFF\u0024\0\0\0WEBPVP8 ", "latin1");
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A distinct WebP frame from Chromium's screencast. */
const webpFrame = (cdp: FakeCdp, n: number) =>
  cdp.emit("Page.screencastFrame", {
    data: Buffer.concat([WEBP, Buffer.from(`${n}`)]).toString("base64"),
    sessionId: 3000 + n,
    metadata: { deviceWidth: 390, deviceHeight: 700 },
  });

/** `capturesWebp`: whether a capture asked for WebP gives WebP (an old Chromium may give something else). */
function setup({ capturesWebp = true } = {}) {
  const cdp = new FakeCdp();
  const timers = new FakeTimers();
  const captures: string[] = [];
  const capture = async (quality: number, format: string) => {
    captures.push(`${format}@${quality}`);
    // The same picture each time: after a few, the page counts as still and the screencast takes over.
    return { width: 390, height: 700, image: format === "webp" && capturesWebp ? WEBP : Buffer.from("shot") };
  };
  // The phone draws each frame at once.
  const screencast: Screencast = new Screencast({
    cdp: cdp as unknown as CDPSession,
    deliver: (f) => queueMicrotask(() => screencast.drawn(f.seq)),
    timers,
    capture,
  });
  /** Chromium paints an animation as WebP frames until the screencast switches to captures. */
  const animate = async () => {
    for (let n = 1; n <= Math.ceil((ANIMATING_FPS * ANIMATING_WINDOW_MS) / 1000); n++) {
      webpFrame(cdp, n);
      await timers.advance(5);
    }
    await settle();
  };
  return { cdp, timers, captures, screencast, animate };
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
    // JPEG where WebP was asked for is at the slow-link quality: WebP is asked for on a slow link.
    expect(cdp.starts).toEqual([
      { format: "webp", quality: 60 },
      { format: "jpeg", quality: FrameTuning.slowQuality },
      { format: "jpeg", quality: 60 },
      { format: "jpeg", quality: FrameTuning.slowQuality },
    ]);
    // The frames still come.
    screencast.viewerReady();
    cdp.frame(1);
    expect(screencast.lastFrame?.image.toString()).toBe("jpeg-1");
  });

  it(`streams JPEG from then on where Chromium takes WebP and sends ${NOT_WEBP_FRAMES} other frames in a row`, async () => {
    const { cdp, screencast } = setup();
    await screencast.start({ ...VIEW, format: "webp" });
    screencast.viewerReady();
    for (let n = 1; n < NOT_WEBP_FRAMES; n++) cdp.frame(n); // not WebP: encoded before the start, perhaps
    await settle();
    expect(cdp.starts).toHaveLength(1);
    cdp.frame(NOT_WEBP_FRAMES);
    await settle();
    cdp.frame(100);
    await screencast.start({ ...VIEW, format: "webp", quality: 50 });
    expect(cdp.starts).toEqual([
      { format: "webp", quality: 60 },
      { format: "jpeg", quality: FrameTuning.slowQuality },
      { format: "jpeg", quality: FrameTuning.slowQuality },
    ]);
    expect(screencast.lastFrame?.image.toString()).toBe("jpeg-100");
  });

  it("keeps WebP once a WebP frame came, whatever late frames of the format before follow it", async () => {
    const { cdp, screencast } = setup();
    await screencast.start({ ...VIEW, format: "webp" });
    screencast.viewerReady();
    cdp.frame(1);
    webpFrame(cdp, 1);
    for (let n = 2; n <= 2 + NOT_WEBP_FRAMES; n++) cdp.frame(n);
    await settle();
    expect(cdp.starts.map((s) => s.format)).toEqual(["webp"]);
  });

  it("does not take a page that is closing for a refusal of WebP", async () => {
    const { cdp, screencast } = setup();
    // Both the WebP start and the JPEG one after it fail: the page is going, not refusing WebP.
    cdp.failOnce("Page.startScreencast");
    cdp.failOnce("Page.startScreencast");
    await expect(screencast.start({ ...VIEW, format: "webp" })).rejects.toThrow("Target closed");
    await screencast.start({ ...VIEW, format: "webp", quality: 50 });
    expect(cdp.starts).toEqual([
      { format: "webp", quality: 60 },
      { format: "jpeg", quality: FrameTuning.slowQuality },
      { format: "webp", quality: 50 },
    ]);
  });

  it("captures an animating page in the running format", async () => {
    const { captures, screencast, animate } = setup();
    await screencast.start({ ...VIEW, format: "webp" });
    screencast.viewerReady();
    await animate();
    expect(captures.length).toBeGreaterThan(0);
    expect(new Set(captures)).toEqual(new Set(["webp@60"]));
  });

  it("captures as JPEG at the slow-link quality once a capture asked for WebP gave something else, or the screencast refused it", async () => {
    const ignored = setup({ capturesWebp: false });
    await ignored.screencast.start({ ...VIEW, format: "webp" });
    ignored.screencast.viewerReady();
    await ignored.animate();
    expect(ignored.captures.slice(0, 2)).toEqual(["webp@60", `jpeg@${FrameTuning.slowQuality}`]);
    expect(new Set(ignored.captures.slice(1))).toEqual(new Set([`jpeg@${FrameTuning.slowQuality}`]));

    const refused = setup();
    refused.cdp.refuseFormat("webp");
    await refused.screencast.start({ ...VIEW, format: "webp" });
    refused.screencast.viewerReady();
    await refused.animate();
    expect(refused.captures.length).toBeGreaterThan(0);
    expect(new Set(refused.captures)).toEqual(new Set([`jpeg@${FrameTuning.slowQuality}`]));
  });

  it("tells WebP from JPEG by the picture's first bytes", async () => {
    const pixel = sharp({ create: { width: 2, height: 2, channels: 3, background: "#fff" } });
    expect(frameImageType(await pixel.clone().webp().toBuffer())).toBe("image/webp");
    expect(frameImageType(await pixel.clone().jpeg().toBuffer())).toBe("image/jpeg");
    expect(frameImageType(await pixel.clone().png().toBuffer())).toBe("image/png");
    expect(frameImageType(Buffer.from("RIFF\0\0\0\0WAVEfmt "))).toBe("image/jpeg");
    expect(frameImageType(new Uint8Array([0x52, 0x49]))).toBe("image/jpeg");
  });

  it("takes the formats a phone decodes as a bounded list of short names, each once, and a hello as before", () => {
    const decodes = (formats: unknown) => decodeToWorker(encodeControl({ t: "decodes", formats } as never));
    expect(decodes(["webp"])).toMatchObject({ ok: true, message: { formats: ["webp"] } });
    // A format this worker does not know yet parses (and is not used): a newer phone still works.
    expect(decodes(["avif", "webp"])).toMatchObject({ ok: true });
    expect(decodes([])).toMatchObject({ ok: true });
    for (const bad of [["webp", "webp"], ["WebP"], ["x".repeat(17)], ["a b"], Array.from({ length: 9 }, (_, i) => `f${i}`), "webp", [1], undefined])
      expect(decodes(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    // The hello is what it was, so a worker from before `decodes` still takes it.
    const hello = decodeToWorker(encodeControl({ t: "hello", viewport: { width: 390, height: 844, dpr: 3 } }));
    expect(hello).toMatchObject({ ok: true });
    expect(decodeToWorker(encodeControl({ t: "hello", viewport: { width: 390, height: 844, dpr: 3 }, formats: ["webp"] } as never))).toMatchObject({
      ok: false,
    });
  });
});

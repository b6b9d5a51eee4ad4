/**
 * A screencast picture whose shape is not the view's (Chromium's surface as it was just after a start
 * or during a resize) never reaches the phone, which would stretch it over the view; pictures fitted
 * to the screencast's bounds, larger or smaller than the view, do. Nor does a picture too small to
 * have a shape (a capture's one-pixel clip, leaked into the screencast), whatever its metadata says.
 */
import type { CDPSession } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { MIN_PICTURE_SIDE, showsWholeView } from "../../worker/picture-shape";
import { Screencast, type ScreencastFrame } from "../../worker/screencast";
import { FakeCdp } from "../helpers/fake-cdp";
import { FakeTimers } from "../helpers/fake-timers";

const VIEW = { width: 390, height: 700 };
const picture = (width: number, height: number, format: "jpeg" | "webp" | "png" = "jpeg") =>
  sharp({ create: { width, height, channels: 3, background: { r: width % 255, g: height % 255, b: 90 } } })
    .toFormat(format)
    .toBuffer();

describe("the shape of a screencast picture", () => {
  it.each([
    ["the view's own size", 390, 700],
    ["smaller than the view (fitted to a bound)", 130, 233],
    ["larger than the view (no bound)", 1170, 2100],
    ["off by the rounding of a fit", 217, 390],
  ])("is the view's when %s (%i×%i)", async (_, width, height) => {
    expect(showsWholeView(await picture(width, height), VIEW.width, VIEW.height)).toBe(true);
  });

  it.each(["jpeg", "webp", "png"] as const)("is not the view's for a square %s picture of a tall view", async (format) => {
    expect(showsWholeView(await picture(390, 390, format), VIEW.width, VIEW.height)).toBe(false);
    expect(showsWholeView(await picture(390, 690, format), VIEW.width, VIEW.height)).toBe(false);
    expect(showsWholeView(await picture(700, 390, format), VIEW.width, VIEW.height)).toBe(false);
  });

  it.each([
    [1, 1],
    [3, 3],
    [8, 15],
    [15, 27],
  ])("is not the view's for a picture too small to have a shape (%i×%i, as from a capture's one-pixel clip)", async (width, height) => {
    expect(showsWholeView(await picture(width, height), VIEW.width, VIEW.height)).toBe(false);
    expect(showsWholeView(await picture(width, height), width, height)).toBe(false);
  });

  it(`is the view's from ${MIN_PICTURE_SIDE} px on either way, where its shape is`, async () => {
    expect(showsWholeView(await picture(MIN_PICTURE_SIDE, 29), VIEW.width, VIEW.height)).toBe(true);
  });

  it("is left to the phone's decoder when the picture's size cannot be read, or the view's is not given", async () => {
    expect(showsWholeView(Buffer.from("not a picture"), VIEW.width, VIEW.height)).toBe(true);
    expect(showsWholeView(await picture(390, 390), 0, 0)).toBe(true);
  });
});

describe("a screencast", () => {
  it("acknowledges a picture of the wrong shape but neither sends nor keeps it", async () => {
    const cdp = new FakeCdp();
    const delivered: ScreencastFrame[] = [];
    const screencast = new Screencast({ cdp: cdp as unknown as CDPSession, deliver: (f) => delivered.push(f), timers: new FakeTimers() });
    void screencast.start({ format: "jpeg", quality: 60, maxWidth: VIEW.width, maxHeight: VIEW.height });
    screencast.viewerReady();
    const whole = await picture(390, 700);
    cdp.picture(whole, VIEW, 1);
    screencast.drawn(delivered[0].seq);
    cdp.picture(await picture(390, 390), VIEW, 2);
    expect(cdp.acks).toEqual([1, 2]);
    expect(delivered.map((f) => f.image)).toEqual([whole]);
    expect(screencast.lastFrame?.image).toEqual(whole);
    // The next whole picture goes on as usual.
    const next = await picture(390, 700, "webp");
    cdp.picture(next, VIEW, 3);
    expect(delivered.map((f) => f.image)).toEqual([whole, next]);
  });

  it("judges a picture by the view it was started for, not by the frame's metadata, which a capture's clip changes", async () => {
    const cdp = new FakeCdp();
    const delivered: ScreencastFrame[] = [];
    const screencast = new Screencast({ cdp: cdp as unknown as CDPSession, deliver: (f) => delivered.push(f), timers: new FakeTimers() });
    void screencast.start({ format: "jpeg", quality: 60, maxWidth: VIEW.width, maxHeight: VIEW.height });
    screencast.viewerReady();
    // The one-pixel capture's picture says it is of a 1×1 view: still not the view's.
    cdp.picture(await picture(3, 3), { width: 1, height: 1 }, 1);
    // A sharp frame's clip at 2×: the metadata is the clip's, the picture the whole view's.
    const whole = await picture(390, 700);
    cdp.picture(whole, { width: 780, height: 1400 }, 2);
    expect(cdp.acks).toEqual([1, 2]);
    expect(delivered.map((f) => [f.image, f.width, f.height])).toEqual([[whole, VIEW.width, VIEW.height]]);
  });
});

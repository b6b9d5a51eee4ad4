/**
 * How many device pixels the agent's browser draws per CSS pixel. A screenshot clip's scale (and
 * Playwright's `scale: "css"`, which knows only the context's emulated density) multiplies it: in a
 * browser started with --force-device-scale-factor=3, a clip at scale 2 gave a picture 6× the CSS size
 * (2340 px wide for 390; measured, Chromium 156). A one-pixel PNG says which density it is.
 */
import type { CDPSession } from "playwright-core";

/** A PNG's width, from its IHDR chunk (bytes 16–19, big-endian); 0 if it is not a PNG. */
function pngWidth(png: Buffer): number {
  return png.length >= 24 && png.readUInt32BE(12) === 0x49484452 ? png.readUInt32BE(16) : 0;
}

export async function measureRasterScale(cdp: CDPSession): Promise<number> {
  const shot = await cdp.send("Page.captureScreenshot", { format: "png", clip: { x: 0, y: 0, width: 1, height: 1, scale: 1 } });
  return Math.max(1, pngWidth(Buffer.from(shot.data, "base64")));
}

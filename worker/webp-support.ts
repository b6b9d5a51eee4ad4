/**
 * Whether the agent's Chromium gives WebP frames, as one page's frames find out. WebP is asked for on
 * a slow link (frame-tuner.ts); it is not in every Chromium's screencast protocol (Chromium 156 has
 * it). A Chromium that refuses it, sends something else for it (NOT_WEBP_FRAMES in a row after a
 * start that asked for it, none of them WebP: the first may have been encoded before the restart),
 * or answers a capture asked for WebP with something else, gets asked for JPEG from then on, at the
 * slow-link quality, and every phone decodes that.
 */
import { frameImageType } from "../lib/protocol/stream";
import { FrameTuning, type ImageFormat } from "./frame-tuner";

export const NOT_WEBP_FRAMES = 3;

export interface Encoding {
  format: ImageFormat;
  quality: number;
}

export class WebpSupport {
  private isRefused = false;
  /** Frames in a row that were not WebP since a start that asked for it; -1 once one was. */
  private notWebpInARow = 0;

  /** What to ask Chromium for when `wanted` is. */
  encoding(wanted: Encoding): Encoding {
    return wanted.format === "webp" && this.isRefused ? { format: "jpeg", quality: FrameTuning.slowQuality } : wanted;
  }

  /**
   * Starts a screencast with `start`: as WebP if wanted and not refused; where that start fails,
   * as JPEG, and only if that one works is WebP taken for refused (a page that is closing fails both).
   */
  async startScreencast(wanted: Encoding, start: (encoding: Encoding) => Promise<unknown>): Promise<void> {
    const encoding = this.encoding(wanted);
    this.notWebpInARow = 0;
    if (encoding.format === "jpeg") return void (await start(encoding));
    try {
      return void (await start(encoding));
    } catch {
      // Refused, or the page is closing: the JPEG start below says which.
    }
    this.isRefused = true;
    try {
      await start(this.encoding(wanted));
    } catch (error) {
      this.isRefused = false;
      throw error;
    }
  }

  /** A frame of a screencast started as `castAs`; true when it makes WebP count as ignored (restart as JPEG). */
  screencastFrame(castAs: ImageFormat | undefined, image: Uint8Array): boolean {
    if (castAs !== "webp" || this.isRefused || this.notWebpInARow < 0) return false;
    if (frameImageType(image) === "image/webp") {
      this.notWebpInARow = -1;
      return false;
    }
    if (++this.notWebpInARow < NOT_WEBP_FRAMES) return false;
    this.isRefused = true;
    return true;
  }

  /** A capture asked for as `askedFor` gave `image`. */
  captured(askedFor: ImageFormat, image: Uint8Array): void {
    if (askedFor === "webp" && frameImageType(image) !== "image/webp") this.isRefused = true;
  }
}

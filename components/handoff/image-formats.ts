/**
 * The picture formats beyond JPEG this phone's browser decodes, told to the worker in its hello: a
 * 1×1 picture of each is decoded the way frames are (createImageBitmap of a Blob). A browser without
 * a format, or without createImageBitmap, gets JPEG only.
 */
import type { ExtraImageFormat } from "../../lib/protocol/stream";

/** A white 1×1 lossy WebP (44 bytes). */
const WEBP_PIXEL = "UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAsBMJaQAA3AA/veMAAA=";

async function decodes(base64: string, type: string): Promise<boolean> {
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type }));
    const ok = bitmap.width === 1 && bitmap.height === 1;
    bitmap.close();
    return ok;
  } catch {
    return false;
  }
}

export async function extraImageFormats(): Promise<ExtraImageFormat[]> {
  return (await decodes(WEBP_PIXEL, "image/webp")) ? ["webp"] : [];
}

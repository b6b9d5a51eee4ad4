/**
 * The picture formats beyond JPEG this phone's browser decodes, told to the worker after each hello:
 * a 1×1 picture of each is decoded the way frames are (createImageBitmap of a Blob). A browser
 * without a format, or without createImageBitmap, or one that takes longer than PROBE_MS to answer,
 * gets JPEG only (the phone connects once the probe is done).
 */
import type { ExtraImageFormat } from "../../lib/protocol/stream";

const PROBE_MS = 300;

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

function withinProbeTime(probe: Promise<boolean>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_MS)));
  return Promise.race([probe, late]).finally(() => clearTimeout(timer));
}

export async function extraImageFormats(): Promise<ExtraImageFormat[]> {
  return (await withinProbeTime(decodes(WEBP_PIXEL, "image/webp"))) ? ["webp"] : [];
}

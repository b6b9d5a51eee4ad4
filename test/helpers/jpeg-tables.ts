/**
 * The first entry (the DC step) of a baseline JPEG's luma quantization table: the larger it is, the
 * coarser the encoding. Encoders built on libjpeg scale the standard table's 16 by the quality, so
 * the step tells the quality a frame was encoded at (see `lumaDcStepAt`).
 */
export function lumaDcStep(jpeg: Buffer): number {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error("not a JPEG");
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) throw new Error(`no marker at byte ${at}`);
    const marker = jpeg[at + 1];
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xdb) {
      // One or more tables: each a byte of precision (high nibble) and id (low nibble), then 64 steps.
      let table = at + 4;
      while (table < at + 2 + length) {
        const precision = jpeg[table] >> 4;
        const id = jpeg[table] & 0x0f;
        if (id === 0) return precision === 0 ? jpeg[table + 1] : jpeg.readUInt16BE(table + 1);
        table += 1 + 64 * (precision === 0 ? 1 : 2);
      }
    }
    if (marker === 0xda) break;
    at += 2 + length;
  }
  throw new Error("no luma quantization table");
}

/** The DC step libjpeg's standard scaling gives the luma table at `quality` (1–100). */
export function lumaDcStepAt(quality: number): number {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Math.min(255, Math.max(1, Math.floor((16 * scale + 50) / 100)));
}

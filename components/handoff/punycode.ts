/**
 * Reads a host name's `xn--` labels as the letters they stand for (RFC 3492), so the consent
 * screen can show both what the address really is and what it looks like — `xn--bnk-sna.example`
 * next to `bänk.example`. Anything malformed is returned unchanged: this only ever adds a hint.
 */
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, points: number, isFirst: boolean): number {
  let d = isFirst ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 22;
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97;
  return BASE;
}

function decodeLabel(input: string): string | null {
  const split = input.lastIndexOf("-");
  const output = [...(split > 0 ? input.slice(0, split) : "")].map((c) => c.codePointAt(0) ?? 0);
  let n = 128;
  let i = 0;
  let bias = 72;
  for (let pos = split > 0 ? split + 1 : 0; pos < input.length;) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const d = digit(input.charCodeAt(pos++));
      if (d >= BASE) return null;
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
      if (w > 2 ** 26) return null;
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  // A label that decodes to plain ASCII is not a valid IDN (and would hide nothing anyway).
  return output.some((c) => c >= 128) ? String.fromCodePoint(...output) : null;
}

/** `xn--bnk-sna.example` → `bänk.example`; a host without `xn--` labels comes back as it is. */
export function hostToUnicode(host: string): string {
  return host
    .split(".")
    .map((label) => (label.toLowerCase().startsWith("xn--") ? (decodeLabel(label.slice(4)) ?? label) : label))
    .join(".");
}

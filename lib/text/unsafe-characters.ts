/**
 * The characters that can make text lie about what it says when a person reads it: C0 and C1
 * controls (and DEL), which a terminal turns into cursor moves, colours, hyperlinks (OSC 8) or a
 * cleared screen; the bidirectional controls that reorder what is shown ("Bank exe.png" from
 * "Bank \u202Egnp.exe"); the line and paragraph separators that start a line where none is
 * expected; and lone UTF-16 surrogates, which have no UTF-8 form, so SQLite, a terminal or a CSV
 * file would hold something other than the string itself. Pure; the input schema and the output
 * filter share it, so both always agree on what is unsafe.
 */

/** Bidi controls: ALM, LRM, RLM, the embeddings and overrides, and the isolates. */
const BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";
/** A high surrogate without its low half, or a low one without its high half (no `u` flag: the regex sees code units). */
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

const build = (controls: string) => new RegExp(`[${controls}\\u007f-\\u009f${BIDI}\\u2028\\u2029]|${LONE_SURROGATE}`, "g");

/** Every unsafe character, newline and tab included: for names and references shown on one line. */
export const UNSAFE_IN_LINE = build("\\u0000-\\u001f");

/** The same, with newline and tab allowed: for text a person writes in several lines (a reason). */
export const UNSAFE_IN_MULTILINE = build("\\u0000-\\u0008\\u000b-\\u001f");

const LONE = new RegExp(LONE_SURROGATE);

/** True when every surrogate in `text` is half of a pair (String#isWellFormed, which ES2023 lacks). */
export function isWellFormed(text: string): boolean {
  return !LONE.test(text);
}

const LONE_ALL = new RegExp(LONE_SURROGATE, "g");

/** Replaces each lone surrogate with U+FFFD, exactly as UTF-8 storage would (String#toWellFormed). */
export function toWellFormed(text: string): string {
  return text.replace(LONE_ALL, "\ufffd");
}

/** True when `text` holds no unsafe character for its kind. */
export function isSafeText(text: string, isMultiline = false): boolean {
  const pattern = isMultiline ? UNSAFE_IN_MULTILINE : UNSAFE_IN_LINE;
  pattern.lastIndex = 0;
  return !pattern.test(text);
}

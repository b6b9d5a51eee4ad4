/**
 * Runs first in every document of a handoff context: text carets stay lit instead of blinking
 * (`caret-animation: manual`, Chromium 139 and later; where it is unknown, nothing changes).
 *
 * A blinking caret repaints twice a second, and each repaint is a frame: measured in headless
 * Chromium 156, a focused field sent 7 screencast frames in 3 idle seconds — bytes to the phone
 * while nobody acts, and each one replaced the resting frame (sharp, at the phone's density) with a
 * moving one at CSS size within half a second. With the caret lit: none, and the caret still shows
 * where typing goes. An adopted style sheet, so nothing is added to the page's DOM; a page that
 * sets its own adopted sheets afterwards drops it, and its carets blink as before.
 */
export function steadyCaret(): void {
  if (typeof document === "undefined" || typeof CSSStyleSheet === "undefined" || !CSS.supports("caret-animation", "manual")) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("*, ::before, ::after { caret-animation: manual !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/**
 * Output filter for text a person reads on the consent screen, the dashboard or a terminal.
 * Input schemas already refuse unsafe characters (safe-text.ts), but rows written before they
 * did, or by another path, must not reach a screen raw: every unsafe character becomes U+FFFD,
 * visible and inert. A terminal escape loses its ESC, so what follows it prints as plain text.
 */
import { UNSAFE_IN_LINE, UNSAFE_IN_MULTILINE } from "./unsafe-characters";

export const REPLACEMENT = "\ufffd";

export function neutralizeText(text: string, isMultiline = false): string {
  return text.replace(isMultiline ? UNSAFE_IN_MULTILINE : UNSAFE_IN_LINE, REPLACEMENT);
}

/**
 * The one zod schema for text a person will read: agent names, operator emails, end-user
 * references, reasons. It refuses ill-formed UTF-16 (a lone surrogate is stored by SQLite as
 * U+FFFD, so the row would no longer be the string that was checked and hashed), normalises to
 * NFC (the same name is the same bytes, whichever way it was typed), trims, bounds the length
 * and refuses control, bidirectional and separator characters (unsafe-characters.ts).
 */
import { z } from "zod";
import { isSafeText, isWellFormed } from "./unsafe-characters";

export interface SafeTextOptions {
  /** Allow newline and tab (a reason written in several lines). Default: one line. */
  isMultiline?: boolean;
}

export function SafeText(max: number, options: SafeTextOptions = {}) {
  const isMultiline = options.isMultiline ?? false;
  return z
    .string()
    .refine((s) => isWellFormed(s), { message: "must be well-formed Unicode (no lone surrogates)", abort: true })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((s) => isSafeText(s, isMultiline), {
          message: isMultiline
            ? "must not contain control, bidirectional-override or line-separator characters"
            : "must be one line without control, bidirectional-override or line-separator characters",
        }),
    );
}

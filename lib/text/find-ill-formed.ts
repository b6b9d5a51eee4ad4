/**
 * Finds the first string (key or value) in parsed JSON that is not well-formed UTF-16, so a
 * request can be refused at the boundary before any field schema, store or audit row sees it.
 * Returns its path (`reason`, `cookies.3.name`), never the value.
 */
import { isWellFormed } from "./unsafe-characters";

export function findIllFormed(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return isWellFormed(value) ? null : path.join(".") || "(value)";
  if (value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    if (!isWellFormed(key)) return [...path, "(key)"].join(".");
    const found = findIllFormed(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}

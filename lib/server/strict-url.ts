/**
 * Percent-escapes are decoded in one strict way. `decodeURIComponent` throws on a malformed
 * escape (`%E0`, `%`, an encoded lone surrogate) and was a 500 before any authentication;
 * `URLSearchParams` instead turns the same bytes into U+FFFD silently. Both are refused here as
 * MALFORMED_ENCODING (400): the server checks every request target once, before routing, and
 * the routers decode their path parameters with `decodePathParam`.
 */
import { AppError } from "../errors/app-error";

function decodes(component: string): boolean {
  try {
    decodeURIComponent(component);
    return true;
  } catch {
    return false;
  }
}

/** True when every escape in the request target's path and query is well-formed UTF-8. */
export function isWellEncodedTarget(rawUrl: string): boolean {
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt === -1 ? "" : rawUrl.slice(queryAt + 1).split("#")[0];
  if (!path.split("/").every(decodes)) return false;
  return query.split("&").every((pair) => pair.split("=").every((part) => decodes(part.replace(/\+/g, " "))));
}

/** Decodes one path parameter, or refuses it (never a URIError, never a 500). */
export function decodePathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError("MALFORMED_ENCODING", "malformed escape in path");
  }
}

export function malformedTarget(): AppError {
  return new AppError("MALFORMED_ENCODING", "malformed escape in request target", undefined, "The address has a malformed percent-escape.");
}

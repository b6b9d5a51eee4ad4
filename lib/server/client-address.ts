/**
 * The address a request came from: the socket's peer, or with TRUST_PROXY the first hop of
 * `X-Forwarded-For`. Only something shaped like an IP address is taken from the header, so the
 * value that keys rate limits and lands in `auth.failures` rows can never be arbitrary text.
 */
import type { IncomingHttpHeaders } from "node:http";

const IP_SHAPED = /^[0-9A-Fa-f:.]{2,45}$/;

export function clientAddressOf(headers: IncomingHttpHeaders, remoteAddress: string | undefined, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? String(headers["x-forwarded-for"] ?? "")
        .split(",")[0]
        .trim()
    : "";
  if (forwarded) return IP_SHAPED.test(forwarded) ? forwarded : "unparsable-forwarded-for";
  return remoteAddress && IP_SHAPED.test(remoteAddress) ? remoteAddress : "unknown";
}

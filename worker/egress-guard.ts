/**
 * Decides whether the handoff browser may fetch a URL: http(s) only (data: and blob: only for
 * subresources), only the target's site and the sites the agent allowed, each scheme on its own
 * port (80 for http, 443 for https: another port is another service of the host, and the page needs
 * none; the proxy judges any tunnel to port 80 as the host's http service), and — except for
 * the exact origin the operator allowlisted, or a trusted origin, each with its own port — never a
 * private address, judged by the addresses the name resolves to. Names that do not resolve are
 * refused (fail closed).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "../lib/net/private-address";
import { siteOf } from "../lib/policy/target";

export type EgressVerdict = { ok: true; address?: string } | { ok: false; reason: "scheme" | "site" | "private_address" | "unresolvable"; origin: string };

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * @param options.trustedOrigins exact origins on a private network the page may reach although they
 *   resolve to private addresses (an intranet identity provider, a local test site); each must still
 *   belong to an allowed site.
 */
export function createEgressGuard(options: { targetOrigin: string; allowedSites: readonly string[]; trustedOrigins?: readonly string[]; resolve?: Resolver }) {
  const sites = new Set(options.allowedSites);
  const trusted = new Set(options.trustedOrigins ?? []);
  const resolve = options.resolve ?? systemResolver;
  const verdicts = new Map<string, Promise<string[] | null>>();

  /** The host's addresses (null when it does not resolve), cached for the handoff's lifetime. */
  const addressesOf = (host: string): Promise<string[] | null> => {
    let verdict = verdicts.get(host);
    if (!verdict) {
      const literal = host.replace(/^\[|\]$/g, "");
      verdict = isIP(literal)
        ? Promise.resolve([literal])
        : resolve(host).then(
            (a) => (a.length > 0 ? a : null),
            () => null,
          );
      verdicts.set(host, verdict);
    }
    return verdict;
  };

  return async function check(rawUrl: string, isNavigation: boolean): Promise<EgressVerdict> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { ok: false, reason: "scheme", origin: "invalid" };
    }
    if ((url.protocol === "data:" || url.protocol === "blob:") && !isNavigation) return { ok: true };
    if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "scheme", origin: url.protocol };
    if (url.origin === options.targetOrigin) return { ok: true };
    if (!sites.has(siteOf(url.hostname))) return { ok: false, reason: "site", origin: url.origin };
    if (trusted.has(url.origin)) return { ok: true };
    const addresses = await addressesOf(url.hostname);
    if (addresses === null) return { ok: false, reason: "unresolvable", origin: url.origin };
    // Every address must be public: a name with one private address could be made to use it.
    if (addresses.some(isPrivateAddress)) return { ok: false, reason: "private_address", origin: url.origin };
    // The URL parser drops a scheme's default port: any port left is another one. Refused as an
    // origin the handoff does not allow.
    if (url.port !== "") return { ok: false, reason: "site", origin: url.origin };
    return { ok: true, address: addresses[0] };
  };
}

export type EgressGuard = ReturnType<typeof createEgressGuard>;

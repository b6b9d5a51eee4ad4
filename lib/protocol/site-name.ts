/**
 * A site as Baton confines and hands over by: a registrable domain (`idp.example`, `a.github.io`),
 * written as a bare host name. Public suffixes (`com`, `co.uk`, `github.io` — private suffixes
 * count, as the worker's confinement counts them), names inside a registrable domain
 * (`login.idp.example`), IP literals, single-label names and anything with a scheme, port, path
 * or credentials are refused, each with its reason. The one exception is `localhost`: it is
 * loopback by definition (RFC 6761), the test fixtures serve their identity provider there, and
 * the worker's egress guard still refuses it unless the agent also names it as a trusted private
 * origin.
 */
import { parse } from "tldts";
import { z } from "zod";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const IPV4_LIKE = /^[0-9.]+$/;
const IPV6_LIKE = /^\[?[0-9a-f:.]*:[0-9a-f:.]*:[0-9a-f:.]*\]?$/;
const LOOPBACK_NAME = "localhost";

export type SiteRefusal = "not_a_host_name" | "ip_literal" | "public_suffix" | "not_registrable" | "subdomain";

const REASONS: Record<SiteRefusal, string> = {
  not_a_host_name: "must be a registrable domain written as a bare host name such as idp.example (no scheme, port, path or credentials)",
  ip_literal: "an IP address is not a registrable domain: name a site such as idp.example",
  public_suffix: "a public suffix is not a registrable domain: name the site itself, such as idp.example",
  not_registrable: "a single label or unknown name is not a registrable domain: name a site such as idp.example",
  subdomain: "a name inside a registrable domain is not a site: sites must be registrable domains (login.idp.example → idp.example)",
};

/** Why `name` (lower case, trimmed) is not a registrable site, or null when it is one. */
export function siteRefusal(name: string): SiteRefusal | null {
  if (name === LOOPBACK_NAME) return null;
  if (!HOST_NAME.test(name)) return IPV6_LIKE.test(name) ? "ip_literal" : "not_a_host_name";
  const parsed = parse(name, { allowPrivateDomains: true });
  if (parsed.isIp || IPV4_LIKE.test(name)) return "ip_literal";
  if (parsed.publicSuffix === name) return parsed.isIcann || parsed.isPrivate || name.includes(".") ? "public_suffix" : "not_registrable";
  if (!parsed.domain) return "not_registrable";
  return parsed.domain === name ? null : "subdomain";
}

export const RegistrableSiteSchema = z
  .string()
  .max(253)
  .transform((s) => s.trim().toLowerCase())
  .superRefine((name, ctx) => {
    const refusal = siteRefusal(name);
    // The reason, never the value: refusals are echoed to callers and terminals.
    if (refusal) ctx.addIssue({ code: "custom", message: REASONS[refusal], params: { reason: refusal } });
  });

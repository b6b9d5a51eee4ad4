/**
 * The site a request is for, as large as the agent's name: the host with its registrable domain
 * highlighted (so `bank.example.evil.example` reads as evil.example), and, for an address with
 * international letters, what it looks like next to what it is.
 */
import { hostToUnicode } from "./punycode";
import { SiteOrigin } from "./site-origin";
import { strings } from "./strings";

export function SiteName({ origin, site }: { origin: string; site: string }) {
  let host = origin;
  try {
    host = new URL(origin).hostname;
  } catch {
    // Not a URL: show it as given; the highlight below simply finds no site in it.
  }
  const siteAt = site && host.endsWith(site) ? host.length - site.length : -1;
  const before = siteAt > 0 ? host.slice(0, siteAt) : siteAt === 0 ? "" : host;
  const unicode = hostToUnicode(host);
  return (
    <div>
      <p data-testid="target-site" className="text-2xl leading-tight font-semibold tracking-tight break-all">
        {before ? <span className="font-normal text-neutral-600 dark:text-neutral-400">{before}</span> : null}
        {siteAt >= 0 ? <mark className="rounded bg-sky-100 px-1 text-neutral-950 dark:bg-sky-900 dark:text-white">{site}</mark> : null}
      </p>
      <p data-testid="target-origin" className="mt-1 text-sm text-neutral-700 dark:text-neutral-300">
        <SiteOrigin origin={origin} site={site} />
      </p>
      {unicode !== host ? (
        <p role="note" className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {strings.consent.punycode(unicode)}
        </p>
      ) : null}
    </div>
  );
}

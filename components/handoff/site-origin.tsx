/**
 * An origin as people should read it: the registrable site in bold, the rest muted, so
 * `login.bank.test.evil.example` cannot pass for `bank.test`.
 */
export function SiteOrigin({ origin, site, className = "" }: { origin: string; site: string; className?: string }) {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return <span className={className}>{origin}</span>;
  }
  const host = url.hostname;
  const siteAt = site && host.endsWith(site) ? host.length - site.length : -1;
  const before = siteAt >= 0 ? host.slice(0, siteAt) : host;
  const bold = siteAt >= 0 ? site : "";
  return (
    <span className={`break-all ${className}`}>
      {/* Muted by colour, not opacity, so the muted parts keep AA contrast on every background. */}
      <span className="text-neutral-600 dark:text-neutral-400">{url.protocol}//</span>
      <span className="text-neutral-700 dark:text-neutral-300">{before}</span>
      <strong className="font-semibold text-neutral-950 dark:text-white">{bold}</strong>
      {url.port ? <span className="text-neutral-600 dark:text-neutral-400">:{url.port}</span> : null}
    </span>
  );
}

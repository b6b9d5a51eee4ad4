/**
 * `npm run demo -- --tls`: a self-signed certificate made now, for this machine's names and LAN
 * addresses, so a real phone on the same Wi-Fi gets a secure context (WebCrypto needs one). The
 * files live in a `tls/` folder beside the database (data/tls/ by default, gitignored) and are
 * made again on every run: no key is ever committed, and none outlives its 30 days.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { isWildcardHost, lanAddresses } from "../../lib/server/lan-addresses";
import { makeSelfSignedCertificate } from "../../lib/tls/self-signed-certificate";

export interface DemoTls {
  certFile: string;
  keyFile: string;
  /** What the server should tell phones to open: a LAN address when listening on every interface. */
  publicUrl: string;
  names: string[];
}

export function prepareDemoTls(dir: string, env: NodeJS.ProcessEnv): DemoTls {
  const host = env.HOST ?? "127.0.0.1";
  const port = env.PORT ?? "3000";
  const lan = isWildcardHost(host) ? lanAddresses(networkInterfaces()) : [];
  const names = [...new Set(["localhost", "127.0.0.1", "::1", ...(isWildcardHost(host) ? [] : [host]), ...lan])];
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { certPem, keyPem } = makeSelfSignedCertificate({ names, now: new Date(), commonName: "Baton demo (self-signed)" });
  const certFile = path.join(dir, "demo-cert.pem");
  const keyFile = path.join(dir, "demo-key.pem");
  writeFileSync(certFile, certPem);
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  const publicHost = lan[0] ?? (isWildcardHost(host) ? "127.0.0.1" : host);
  return { certFile, keyFile, names, publicUrl: env.PUBLIC_URL ?? `https://${publicHost.includes(":") ? `[${publicHost}]` : publicHost}:${port}` };
}

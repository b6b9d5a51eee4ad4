import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startEgressProxy } from "../../worker/egress-proxy";

/** Sends one CONNECT to the proxy and returns its status line. */
function tunnel(proxy: string, authority: string): Promise<string> {
  const { hostname, port } = new URL(proxy);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("end", () => resolve(text.split("\r\n")[0]));
    socket.on("error", reject);
  });
}

describe("the egress proxy's tunnels", () => {
  it("judges a tunnel to port 80 as the plain ws:// origin it is, and any other as https on its port", async () => {
    const judged: string[] = [];
    const refused: string[] = [];
    const proxy = await startEgressProxy(
      async (url) => {
        judged.push(url);
        return { ok: false, reason: "site", origin: new URL(url).origin };
      },
      (_verdict, url) => refused.push(url),
    );
    try {
      for (const authority of ["ws.bank.test:80", "login.idp.test:443", "cdn.bank.test:8443"]) {
        expect(await tunnel(proxy.server, authority)).toBe("HTTP/1.1 403 Forbidden");
      }
      expect(judged).toEqual(["http://ws.bank.test/", "https://login.idp.test:443/", "https://cdn.bank.test:8443/"]);
      expect(refused).toEqual(judged);
    } finally {
      await proxy.close();
    }
  });
});

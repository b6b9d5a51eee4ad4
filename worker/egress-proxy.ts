/**
 * A filtering forward proxy for one handoff context, in the agent's process. Request routing in
 * Playwright does not see the hops of a page's own redirects, nor Chromium's preconnects; a proxy
 * sees every connection. Each CONNECT (https, wss) and each plain-http request is checked by the
 * egress guard, then connected to the address the guard resolved — so a name cannot pass the check
 * on one address and connect to another (DNS rebinding).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { EgressVerdict } from "./egress-guard";
import { REFUSED_HEADER } from "./navigation-keeper";

export type ProxyCheck = (url: string) => Promise<EgressVerdict & { address?: string }>;

export interface EgressProxy {
  server: string;
  close(): Promise<void>;
}

function refuse(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

export async function startEgressProxy(
  check: ProxyCheck,
  onRefused: (verdict: Extract<EgressVerdict, { ok: false }>, url: string) => void,
): Promise<EgressProxy> {
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    // Plain http through a proxy: the request line carries the absolute URL.
    const target = req.url ?? "";
    const verdict = await check(target).catch(() => ({ ok: false as const, reason: "unresolvable" as const, origin: "invalid" }));
    if (!verdict.ok) {
      onRefused(verdict, target);
      // 204, not 403: a navigation answered "No Content" commits nothing, so the page stays where it
      // was (a refusal page would replace the login form). See navigation-keeper.ts.
      res.writeHead(204, { [REFUSED_HEADER]: "1" }).end();
      return;
    }
    const url = new URL(target);
    const upstream = httpRequest(
      {
        host: verdict.address ?? url.hostname,
        port: url.port || 80,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: { ...req.headers, host: url.host },
        setHost: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });

  server.on("connect", async (req: IncomingMessage, client: Socket, head: Buffer) => {
    client.on("error", () => undefined);
    const [host, port] = splitHostPort(req.url ?? "");
    // A tunnel is https (and wss) — or, to port 80, a plain ws:// WebSocket, which Chromium also
    // opens with CONNECT through a proxy: judged as the http origin it is.
    const target = port === "80" ? `http://${host}/` : `https://${host}:${port}/`;
    const verdict = await check(target).catch(() => ({ ok: false as const, reason: "unresolvable" as const, origin: "invalid" }));
    if (!verdict.ok) {
      onRefused(verdict, target);
      return refuse(client, "403 Forbidden");
    }
    const upstream = connect({ host: verdict.address ?? host, port: Number(port) }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => refuse(client, "502 Bad Gateway"));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(authority: string): [string, string] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
  return m ? [m[1].includes(":") ? `[${m[1]}]` : m[1], m[2]] : [authority, "443"];
}

/**
 * The suite's load balancer: one public port in front of the nodes, passing each TCP connection
 * (an HTTP request, a WebSocket) through to one node unchanged — no stickiness, as a plain L4
 * balancer would. The test chooses the node: a request that carries `x-baton-node: <index>` goes
 * there, any other to the current default. A connection to a node that is down is closed, as a
 * balancer without health checks would.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface Balancer {
  url: string;
  port: number;
  /** Where requests without the header go. */
  setDefault(index: number): void;
  /** Which node each connection went to, in order (index), for assertions. */
  routed: number[];
  close(): Promise<void>;
}

const ROUTE_HEADER = /\r\nx-baton-node:\s*(\d+)\r\n/i;

export async function startBalancer(portOf: (index: number) => number | null): Promise<Balancer> {
  let fallback = 0;
  const routed: number[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    client.once("data", (first: Buffer) => {
      // The request line and headers arrive in the first packet on loopback.
      const index = Number(ROUTE_HEADER.exec(first.toString("latin1"))?.[1] ?? fallback);
      routed.push(index);
      const port = portOf(index);
      if (port === null) return void client.destroy();
      const upstream = connect(port, "127.0.0.1");
      open.add(upstream);
      upstream.once("close", () => {
        open.delete(upstream);
        client.destroy();
      });
      client.once("close", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routed,
    setDefault: (index) => void (fallback = index),
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

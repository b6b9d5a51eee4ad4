/**
 * The suite's load balancer: passes each TCP connection (an HTTP request, a WebSocket) through to
 * one node unchanged — no stickiness, as a plain L4 balancer would. Its main door (`url`, every
 * node's PUBLIC_URL) sends new connections to the current default node; door `i` (`door(i)`)
 * always sends them to node `i`, so a test can put each client where it wants while clients that
 * pool connections (fetch does) never mix nodes on one origin. A connection for a node that is
 * down is closed, as a balancer without health checks would.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface Balancer {
  url: string;
  /** A door that always leads to node `index`. */
  door(index: number): string;
  /** Where new connections through the main door go. */
  setDefault(index: number): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

export async function startBalancer(nodes: number, portOf: (index: number) => number | null): Promise<Balancer> {
  let fallback = 0;
  const open = new Set<Socket>();
  const servers: Server[] = [];

  const pass = (client: Socket, index: number) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    const port = portOf(index);
    if (port === null) return void client.destroy();
    const upstream = connect(port, "127.0.0.1");
    // As a real balancer does: Nagle's algorithm with delayed acks would add ~40 ms to small writes.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    open.add(upstream);
    upstream.once("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    client.once("close", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const main = createServer((client) => pass(client, fallback));
  servers.push(main);
  const mainPort = await listen(main);
  const doorPorts: number[] = [];
  for (let i = 0; i < nodes; i++) {
    const door = createServer((client) => pass(client, i));
    servers.push(door);
    doorPorts.push(await listen(door));
  }
  return {
    url: `http://127.0.0.1:${mainPort}`,
    door: (index) => `http://127.0.0.1:${doorPorts[index]}`,
    setDefault: (index) => void (fallback = index),
    async close() {
      for (const socket of open) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/**
 * Baton on several nodes, on one machine, with the real engines: a throwaway PostgreSQL cluster
 * and a Redis server as local processes on loopback ports, N Baton node processes sharing them,
 * and the suite's load balancer in front (its URL is every node's PUBLIC_URL). Nodes can be
 * killed (SIGKILL, nothing flushed) and started again; the CLI runs against the same database.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";
import { createDatabase, startPostgresCluster, type PostgresCluster } from "../helpers/postgres-cluster";
import { startRedisServer, type RedisServer } from "../helpers/redis-server";
import { type Balancer, startBalancer } from "./balancer";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

export interface BatonNode {
  index: number;
  /** The node's own URL (tests go through the balancer; this is for health checks). */
  url: string | null;
  port: number | null;
  logs: string[];
  isRunning(): boolean;
  start(): Promise<void>;
  /** SIGKILL: the node vanishes mid-whatever, as a crashed machine would. */
  kill(): Promise<void>;
}

export interface BatonCluster {
  balancer: Balancer;
  publicUrl: string;
  databaseUrl: string;
  redis: RedisServer;
  nodes: BatonNode[];
  /** The suite's own connection to the shared database, for assertions. */
  database: OpenedDatabase;
  env: Record<string, string>;
  /** `npm run baton -- …` against the shared database; its stdout. */
  cli(...args: string[]): Promise<string>;
  createAgent(origins: string[], extra?: string[]): Promise<{ agentId: string; apiKey: string }>;
  close(): Promise<void>;
}

function startNode(index: number, env: Record<string, string>): BatonNode {
  let child: ChildProcess | null = null;
  const node: BatonNode = {
    index,
    url: null,
    port: null,
    logs: [],
    isRunning: () => child !== null && child.exitCode === null && child.signalCode === null,
    start: () =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, ["--import", "tsx", "test/multinode/node-main.ts"], {
          cwd: root,
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        child = proc;
        const lines = createInterface({ input: proc.stdout });
        lines.on("line", (line) => {
          node.logs.push(line);
          if (line.startsWith('{"listening"')) {
            node.url = (JSON.parse(line) as { listening: string }).listening;
            node.port = Number(new URL(node.url).port);
            resolve();
          } else if (line.startsWith('{"failed"')) reject(new Error(`node ${index} failed to start: ${line}`));
        });
        proc.stderr.on("data", (chunk: Buffer) => node.logs.push(chunk.toString()));
        proc.once("exit", (code, signal) => {
          node.port = null;
          reject(new Error(`node ${index} exited (${code ?? signal}) before listening:\n${node.logs.slice(-20).join("\n")}`));
        });
      }),
    async kill() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill("SIGKILL");
      await exited;
      node.port = null;
    },
  };
  return node;
}

export async function startBatonCluster(options: { nodes?: number; env?: Record<string, string>; postgres?: PostgresCluster } = {}): Promise<BatonCluster> {
  const ownPostgres = options.postgres ? null : await startPostgresCluster();
  const postgres = options.postgres ?? ownPostgres!;
  const databaseUrl = await createDatabase(postgres.url);
  const redis = await startRedisServer();
  const nodes: BatonNode[] = [];
  const balancer = await startBalancer(options.nodes ?? 3, (index) => nodes[index]?.port ?? null);
  const env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    PUBLIC_URL: balancer.url,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64url"),
    ...options.env,
  };
  for (let i = 0; i < (options.nodes ?? 3); i++) nodes.push(startNode(i, env));
  // Together, on an empty database: the migration runner's lock is what keeps this safe.
  await Promise.all(nodes.map((n) => n.start()));
  const database = await openDatabase(databaseUrl);

  async function cli(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], { cwd: root, env: { ...process.env, ...env } });
    return stdout;
  }

  return {
    balancer,
    publicUrl: balancer.url,
    databaseUrl,
    redis,
    nodes,
    database,
    env,
    cli,
    async createAgent(origins, extra = []) {
      const out = await cli("agent", "create", "--name", "Cluster agent", "--origins", origins.join(","), ...extra);
      const agentId = /Agent (agt_\S+) created/.exec(out)?.[1];
      const apiKey = /^(bat_\S+)$/m.exec(out)?.[1];
      if (!agentId || !apiKey) throw new Error(`unexpected CLI output: ${out.slice(0, 200)}`);
      return { agentId, apiKey };
    },
    async close() {
      await Promise.all(nodes.map((n) => n.kill()));
      await balancer.close();
      await database.close();
      await redis.stop();
      await ownPostgres?.stop();
    },
  };
}

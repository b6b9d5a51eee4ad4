/**
 * A throwaway PostgreSQL cluster for tests: initdb in a temp dir, one server on a loopback port, a
 * fresh empty database per test file, everything removed by `stop()`. Debian's PostgreSQL binaries
 * (`/usr/lib/postgresql/<n>/bin`, or `PG_BIN`) are used as local processes; nothing is downloaded.
 *
 * initdb refuses to run as root, and tests run as root here and in CI: then the cluster runs as the
 * `postgres` user (runuser), with its data dir in a temp dir that user owns.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./free-port";

const run = promisify(execFile);

export interface PostgresCluster {
  /** The admin URL (database `postgres`), for tools and `createDatabase`. */
  url: string;
  /** A fresh empty database; its `postgresql://` URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder. */
function findBinDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql (install the postgresql package, or set PG_BIN)");
  return path.join(root, newest, "bin");
}

/** Runs a PostgreSQL binary, as `postgres` when we are root (initdb and the server refuse root). */
function runPg(bin: string, args: string[], asUser: string | null) {
  return asUser ? run("runuser", ["-u", asUser, "--", bin, ...args]) : run(bin, args);
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Makes a fresh empty database with a random name on the cluster at `adminUrl`. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `baton_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // The name is ours (hex), so quoting it as an identifier is enough.
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts the server; a port clash (another process took the free port meanwhile) is retried on a new one. */
async function startOnFreePort(pgCtl: string, dataDir: string, logFile: string, asUser: string | null): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${path.dirname(logFile)}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    try {
      await runPg(pgCtl, ["start", "-w", "-t", "30", "-D", dataDir, "-l", logFile, "-o", options], asUser);
      return port;
    } catch (e) {
      if (attempt >= 4) throw new Error(`PostgreSQL did not start (see ${logFile})`, { cause: e });
    }
  }
}

/** Tuned for tests, not durability: no fsync, no full-page writes. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = findBinDir();
  const asUser = process.getuid?.() === 0 ? "postgres" : null;
  const dir = mkdtempSync(path.join(tmpdir(), "baton-pg-"));
  const dataDir = path.join(dir, "data");
  const owner = asUser ? await userIds(asUser) : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  await runPg(
    path.join(binDir, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"],
    asUser,
  );
  const pgCtl = path.join(binDir, "pg_ctl");
  const logFile = path.join(dir, "server.log");
  writeFileSync(logFile, "");
  if (owner) chownSync(logFile, owner.uid, owner.gid);

  let port: number;
  try {
    port = await startOnFreePort(pgCtl, dataDir, logFile, asUser);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase: () => createDatabase(url),
    async stop() {
      // Immediate: the data is thrown away, there is nothing to flush.
      await runPg(pgCtl, ["stop", "-D", dataDir, "-m", "immediate", "-w"], asUser);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

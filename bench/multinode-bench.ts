/**
 * `npm run bench:multinode` — what several nodes cost, measured on this machine with the real
 * engines (the multinode suite's harness: a throwaway PostgreSQL, a Redis server, Baton nodes
 * behind the suite's balancer). Prints a markdown table; not part of any test run.
 *
 * - Frame latency, agent → phone, for a same-node pair (both ends on node A) and a cross-node pair
 *   (agent on A, phone on B: the bytes go through Redis), interleaved, one frame in flight at a
 *   time, sealed frames of a dense phone's size (≈50 KB). Sender and receiver are this process, so
 *   one clock times both ends.
 * - Audit appends per second through the one ordering point, with 1 and with 3 writers (each its
 *   own database connection, as separate nodes are), then the chain verified.
 *
 * Options: --frames N (per pair, default 300), --seconds N (per audit run, default 5).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createAuditLog } from "../lib/audit/audit-log";
import { verifyChain } from "../lib/audit/verify-chain";
import { toBase64Url } from "../lib/crypto/base64url";
import { randomSealKey } from "../lib/crypto/seal";
import { openDatabase } from "../lib/db/open-database";
import { systemClock } from "../lib/time/clock";
import { connectAgentPeer, type AgentPeer } from "../test/helpers/agent-peer";
import { NodePhone } from "../test/helpers/node-phone";
import { startBatonCluster, type BatonCluster } from "../test/multinode/cluster-harness";
import { summarize } from "./stats";

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Pair {
  agent: AgentPeer;
  phone: NodePhone;
  arrivals: number[];
}

async function openPair(cluster: BatonCluster, apiKey: string, agentNode: number, phoneNode: number): Promise<Pair> {
  const response = await fetch(`${cluster.balancer.door(agentNode)}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: "http://127.0.0.1:4989/login", reason: "Benchmark" }),
  });
  const created = (await response.json()) as { id: string; linkPath: string };
  const link = `${cluster.publicUrl}${created.linkPath}#k=${toBase64Url(randomSealKey())}`;
  const agent = await connectAgentPeer(cluster.balancer.door(agentNode), created.id, link, apiKey);
  const phone = new NodePhone(cluster.balancer.door(phoneNode), link);
  phone.origin = cluster.publicUrl;
  await phone.claim();
  await phone.decide("approve");
  await phone.connect(created.id);
  const arrivals: number[] = [];
  // Timed on arrival at the phone's socket, before it opens the seal (the same on both paths).
  phone.socket!.on("stream:data", () => arrivals.push(performance.now()));
  return { agent, phone, arrivals };
}

/** One frame in flight: send, wait for its arrival (or 1 s), the next. */
async function frameLatency(pair: Pair, seq: number, jpeg: Uint8Array): Promise<number | null> {
  const count = pair.arrivals.length;
  const sent = performance.now();
  await pair.agent.sendJpeg(seq, jpeg, 1170, 2532);
  const deadline = sent + 1000;
  while (pair.arrivals.length === count) {
    if (performance.now() > deadline) return null;
    await new Promise((r) => setImmediate(r));
  }
  return pair.arrivals[count] - sent;
}

async function auditRate(databaseUrl: string, writers: number, seconds: number): Promise<number> {
  const databases = await Promise.all(Array.from({ length: writers }, () => openDatabase(databaseUrl)));
  const until = performance.now() + seconds * 1000;
  const counts = await Promise.all(
    databases.map(async (database) => {
      const audit = createAuditLog(database.db, systemClock);
      let n = 0;
      while (performance.now() < until) {
        await audit.append({ actor: "system", action: "bench.append", decision: "allow" });
        n += 1;
      }
      return n;
    }),
  );
  await Promise.all(databases.map((d) => d.close()));
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { frames: { type: "string", default: "300" }, seconds: { type: "string", default: "5" } } });
  const frames = Number(values.frames);
  const seconds = Number(values.seconds);
  log("▸ Starting PostgreSQL, Redis and two Baton nodes…");
  const cluster = await startBatonCluster({ nodes: 2 });
  try {
    const { apiKey } = await cluster.createAgent(["http://127.0.0.1:4989"], ["--max-concurrent", "10"]);
    const same = await openPair(cluster, apiKey, 0, 0);
    const cross = await openPair(cluster, apiKey, 0, 1);
    const jpeg = new Uint8Array(randomBytes(50 * 1024));
    jpeg.set([0xff, 0xd8]);
    const samples = { same: [] as (number | null)[], cross: [] as (number | null)[] };
    // Warm-up, then interleaved so both pairs see the same machine.
    for (let i = 0; i < 30; i++) {
      await frameLatency(same, i, jpeg);
      await frameLatency(cross, i, jpeg);
    }
    for (let i = 0; i < frames; i++) {
      samples.same.push(await frameLatency(same, 100 + i, jpeg));
      samples.cross.push(await frameLatency(cross, 100 + i, jpeg));
    }
    const s = summarize(samples.same);
    const c = summarize(samples.cross);
    log("▸ Audit appends through the ordering point…");
    const one = await auditRate(cluster.databaseUrl, 1, seconds);
    const three = await auditRate(cluster.databaseUrl, 3, seconds);
    const verified = await verifyChain(cluster.database.db);

    log(`\nMultinode bench, ${new Date().toISOString().slice(0, 10)}, ${frames} frames of 50 KB per pair, audit runs of ${seconds} s:\n`);
    log("| | p50 | p95 | p99 | max | timeouts |");
    log("|---|---|---|---|---|---|");
    log(`| frame agent → phone, same node (ms) | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${s.timeouts} |`);
    log(`| frame agent → phone, across nodes via Redis (ms) | ${c.p50} | ${c.p95} | ${c.p99} | ${c.max} | ${c.timeouts} |`);
    log(`\n| audit appends per second | 1 writer | 3 writers (separate connections) |`);
    log("|---|---|---|");
    log(`| through the ordering point | ${Math.round(one)} | ${Math.round(three)} |`);
    log(`\naudit chain after the runs: ${verified.ok ? `verified, ${verified.rows} rows` : `BROKEN at seq ${verified.brokenAt} (${verified.problem})`}`);
    for (const pair of [same, cross]) {
      pair.agent.close();
      pair.phone.close();
    }
  } finally {
    await cluster.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run bench -- --trace`: where the time of one keystroke goes, hop by hop, on the page that
 * never stops animating (or the still one, with `--pages still`), with the phone at its highest density. Each keystroke is followed from the
 * phone's key event through sealing, the relay, the worker's open and CDP input, Chromium's paint and
 * screencast frame, sealing again, the relay, and the phone's open, decode and draw of the frame that
 * showed it. Times come from three processes (phone page, server, this one, which runs the worker):
 * each clock's offset to this one is measured with the round trip of least delay, and every time is
 * moved onto this clock. Prints p50 / p95 per hop as a markdown table, then the same keys typed
 * on a plain page of the same browser and read as the limit reads them: when the frame that shows
 * each one arrives in this process, and when it is decoded, to set beside Chromium's hop above.
 */
import { LAYOUT } from "./bench-site";
import { closeLiveSession, type LiveSession, type LiveSessionOptions, openLiveSession } from "./harness";
import { focusField } from "./phases";
import { limitKeyArrivals } from "./limit";
import { measure } from "./phone-probe";
import { summarize } from "./stats";
import { hookWorker, installPhoneHooks, type WorkerMarks } from "./trace-hooks";
import type { BenchServer } from "./harness";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/** Envelope = IV 12 ‖ (kind 1 ‖ seq 4 ‖ width 2 ‖ height 2 ‖ JPEG) ‖ tag 16. */
const FRAME_OVERHEAD = 9;

export interface TraceDeps {
  server: BenchServer;
  session: Omit<LiveSessionOptions, "phoneInit" | "dpr">;
  log(line: string): void;
  samples: number;
  dpr: number;
  page: "still" | "animating";
}

/** Remote clock − local clock, from the ping with the shortest round trip. */
async function clockOffset(read: () => Promise<number>): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const remote = await read();
    const t1 = performance.timeOrigin + performance.now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: remote - (t0 + t1) / 2 };
  }
  return best.offset;
}

interface PhoneTrace {
  key: number;
  sealed: { iv: string; start: number; end: number }[];
  sent: Record<string, number>;
  received: Record<string, number>;
  opened: { iv: string; start: number; end: number; bytes: number }[];
  decoded: { bytes: number; start: number; end: number }[];
  hit: { at: number; bytes: number } | null;
}

function readPhoneTrace(session: LiveSession): Promise<PhoneTrace> {
  return session.phone.evaluate(() => {
    const w = window as unknown as { __trace: any; __bench: { lastHit: { at: number; image: object } | null } };
    const t = w.__trace;
    const hit = w.__bench.lastHit;
    const out = {
      key: t.keys.at(-1),
      sealed: t.sealed.splice(0),
      sent: Object.fromEntries(t.sent),
      received: Object.fromEntries(t.received),
      opened: t.opened.splice(0),
      decoded: t.decoded.splice(0),
      hit: hit ? { at: performance.timeOrigin + hit.at, bytes: t.bitmaps.get(hit.image) ?? -1 } : null,
    };
    t.keys.length = 0;
    t.sent.clear();
    t.received.clear();
    return out;
  });
}

/** One keystroke's times, each on this process's clock; null when a link in the chain is missing. */
interface Chain {
  marks: Record<string, number>;
  keyIv: string;
  frameIv: string;
  framesBefore: number;
}

function follow(p: PhoneTrace, w: WorkerMarks, phoneOffset: number): Chain | null {
  const ph = (t: number) => t - phoneOffset;
  const sealed = p.sealed.find((s) => s.start >= p.key);
  if (!sealed || !p.hit) return null;
  const applied = w.applied.find((a) => a.iv === sealed.iv);
  const opened = w.opened.get(sealed.iv);
  const decoded = p.decoded.findLast((d) => d.bytes === p.hit!.bytes && d.end <= p.hit!.at);
  const openedPhone = decoded && p.opened.findLast((o) => o.bytes === p.hit!.bytes + FRAME_OVERHEAD && o.end <= decoded.start);
  if (!applied || !opened || !decoded || !openedPhone) return null;
  const emitted = w.emitted.get(openedPhone.iv);
  const frame = [...w.frames.entries()].findLast(([, f]) => f.bytes === p.hit!.bytes && emitted && f.at <= emitted.at);
  const arrived = frame && w.arrived.findLast((a) => a.bytes === p.hit!.bytes && a.at <= frame[1].at);
  if (!emitted || !frame || !arrived) return null;
  const framesBefore = w.arrived.filter((f) => f.at >= applied.start && f.at < arrived.at).length;
  return {
    keyIv: sealed.iv,
    frameIv: openedPhone.iv,
    framesBefore,
    marks: {
      key: ph(p.key),
      keySealBegins: ph(sealed.start),
      keySealed: ph(sealed.end),
      keySent: ph(p.sent[sealed.iv] ?? Number.NaN),
      workerOpenStart: opened.start,
      workerOpenEnd: opened.end,
      inputStart: applied.start,
      inputEnd: applied.end,
      frameArrived: arrived.at,
      frameEvent: frame[1].at,
      frameEmitted: emitted.at,
      phoneReceived: ph(p.received[openedPhone.iv] ?? Number.NaN),
      phoneOpened: ph(openedPhone.end),
      phoneDecoded: ph(decoded.end),
      drawn: ph(p.hit.at),
    },
  };
}

const HOPS: [string, string, string][] = [
  ["phone: key event → text sealed (keyboard proxy, AES-GCM)", "key", "keySealed"],
  ["phone: of which key event → sealing begins (keyboard proxy)", "key", "keySealBegins"],
  ["phone: sealed → on the WebSocket", "keySealed", "keySent"],
  ["phone → relay (loopback)", "keySent", "relayKeyIn"],
  ["relay: in → out (input)", "relayKeyIn", "relayKeyOut"],
  ["relay → worker", "relayKeyOut", "workerOpenStart"],
  ["worker: open (AES-GCM, parse)", "workerOpenStart", "workerOpenEnd"],
  ["worker: waiting for the input queue", "workerOpenEnd", "inputStart"],
  ["worker: CDP input dispatch (round trip)", "inputStart", "inputEnd"],
  ["Chromium: input → paint → frame reaches the worker", "inputStart", "frameArrived"],
  ["worker: frame waits for room to the phone", "frameArrived", "frameEvent"],
  ["worker: frame → sealed and emitted", "frameEvent", "frameEmitted"],
  ["worker → relay", "frameEmitted", "relayFrameIn"],
  ["relay: in → out (frame)", "relayFrameIn", "relayFrameOut"],
  ["relay → phone", "relayFrameOut", "phoneReceived"],
  ["phone: received → opened (AES-GCM)", "phoneReceived", "phoneOpened"],
  ["phone: opened → decoded (createImageBitmap)", "phoneOpened", "phoneDecoded"],
  ["phone: decoded → drawn", "phoneDecoded", "drawn"],
  ["**keystroke → visible**", "key", "drawn"],
];

export async function runTrace(deps: TraceDeps): Promise<void> {
  const { marks, unhook } = hookWorker();
  let session: LiveSession | null = null;
  try {
    session = await openLiveSession({ ...deps.session, dpr: deps.dpr, phoneInit: installPhoneHooks });
    await focusField(session, LAYOUT.field);
    const type = (i: number) => measure(session!.phone, LAYOUT.field, "key", () => session!.phone.keyboard.type(LETTERS[i % 26]));
    for (let i = 0; i < 10; i++) await type(i);
    await readPhoneTrace(session);
    const phoneOffset = await clockOffset(() => session!.phone.evaluate(() => performance.timeOrigin + performance.now()));
    const serverOffset = await clockOffset(async () => (await deps.server.probe("clock")).now);
    const chains: Chain[] = [];
    let missed = 0;
    for (let i = 0; i < deps.samples; i++) {
      const total = await type(i);
      const chain = total === null ? null : follow(await readPhoneTrace(session), marks, phoneOffset);
      if (chain) chains.push(chain);
      else missed += 1;
    }
    const relay =
      (
        await deps.server.probe(
          "relay",
          chains.flatMap((c) => [c.keyIv, c.frameIv]),
        )
      ).relay ?? {};
    for (const c of chains) {
      const sv = (t: number | undefined) => (t === undefined ? Number.NaN : t - serverOffset);
      Object.assign(c.marks, {
        relayKeyIn: sv(relay[c.keyIv]?.in),
        relayKeyOut: sv(relay[c.keyIv]?.out),
        relayFrameIn: sv(relay[c.frameIv]?.in),
        relayFrameOut: sv(relay[c.frameIv]?.out),
      });
    }
    printTrace(deps, chains, missed, { phoneOffset, serverOffset });
    const remote = session.remote;
    await closeLiveSession(session);
    session = null;
    // The same keys on the same page in the same browser, read as the limit reads them.
    const limit = await limitKeyArrivals(deps.session.agentBrowser, deps.session.siteUrl, remote, deps.samples);
    const arrived = summarize(limit.arrived);
    const decoded = summarize(limit.decoded);
    deps.log(
      `The limit on the same page and browser (${limit.arrived.length} keystrokes, read in this process): ` +
        `key dispatched → its frame arrives p50 ${f(arrived.p50)} / p95 ${f(arrived.p95)} ms, → decoded p50 ${f(decoded.p50)} / p95 ${f(decoded.p95)} ms; ` +
        `${arrived.timeouts} timeouts.`,
    );
  } finally {
    unhook();
    if (session) await closeLiveSession(session);
  }
}

const f = (v: number) => (Number.isFinite(v) ? (Math.round(v * 10) / 10).toString() : "—");

function printTrace(deps: TraceDeps, chains: Chain[], missed: number, offsets: { phoneOffset: number; serverOffset: number }): void {
  const hop = (from: string, to: string) => summarize(chains.map((c) => c.marks[to] - c.marks[from]).map((v) => (Number.isFinite(v) ? v : null)));
  deps.log(`\nOne keystroke, hop by hop (${deps.page} page, phone DPR ${deps.dpr}; ${chains.length} keystrokes followed, ${missed} not):\n`);
  deps.log("| hop | p50 (ms) | p95 (ms) |");
  deps.log("|---|---|---|");
  for (const [name, from, to] of HOPS) {
    const s = hop(from, to);
    deps.log(`| ${name} | ${f(s.p50)} | ${f(s.p95)} |`);
  }
  const before = summarize(chains.map((c) => c.framesBefore));
  deps.log(`\nFrames the worker got between the input and the one that showed it: p50 ${f(before.p50)}, p95 ${f(before.p95)}.`);
  deps.log(`Clock offsets to this process: phone page ${f(offsets.phoneOffset)} ms, server ${f(offsets.serverOffset)} ms.`);
}

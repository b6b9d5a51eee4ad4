/**
 * Channels that bypass request routing and the egress proxy are closed in the handoff context:
 * WebRTC (STUN/TURN over UDP) and WebTransport (QUIC over UDP), from the page, from an iframe's
 * fresh realm, from a popup, from dedicated, nested, module and shared workers. A UDP listener on
 * loopback sees nothing — and sees the same attempts from an ordinary context, so it is listening.
 */
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { openHandoffBrowser } from "../../worker/handoff-browser";

let browser: Browser;
let server: Server;
let origin: string;
let udp: Socket;
let udpPort: number;
const packets: string[] = [];

beforeAll(async () => {
  udp = createSocket("udp4");
  udp.on("message", (message) => packets.push(message.toString("latin1")));
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  udpPort = udp.address().port;
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<title>site</title><p>site</p>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  udp?.close();
});

/** Every way a page can try to send UDP; each resolves to what happened (never throws). */
const attempts = (port: number): Record<string, string> => {
  const offer = (ctor: string) =>
    `(() => { const P = ${ctor}; if (typeof P !== "function") return "no RTCPeerConnection"; const pc = new P({ iceServers: [{ urls: "stun:127.0.0.1:${port}" }, { urls: "turn:127.0.0.1:${port}?transport=udp", username: "CANARY-TURN-USER", credential: "x" }] }); pc.createDataChannel("x"); return pc.createOffer().then((o) => pc.setLocalDescription(o)).then(() => "offer made"); })()`;
  const inWorker = (create: string, code: string) =>
    `new Promise((done) => { try { const w = ${create}(window.URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: "text/javascript" }))); (w.port || w).onmessage = (e) => done(e.data); setTimeout(() => done("no answer"), 3000); } catch (e) { done("threw " + e); } })`;
  const transport = `try { new WebTransport("https://127.0.0.1:${port}/"); postMessage("made") } catch (e) { postMessage("refused: " + e) }`;
  return {
    page: offer("window.RTCPeerConnection"),
    prefixed: offer("window.webkitRTCPeerConnection"),
    iframe: `(() => { const f = document.createElement("iframe"); document.body.append(f); return ${offer("f.contentWindow.RTCPeerConnection")}; })()`,
    popup: `(() => { const w = window.open(""); return w ? ${offer("w.RTCPeerConnection")} : "no popup"; })()`,
    webTransport: `(() => { try { const t = new WebTransport("https://127.0.0.1:${port}/"); return t.ready.then(() => "ready", () => "failed"); } catch (e) { return "refused"; } })()`,
    worker: inWorker("new Worker", transport),
    moduleWorker: `new Promise((done) => { const w = new Worker(window.URL.createObjectURL(new Blob([${JSON.stringify(transport)}], { type: "text/javascript" })), { type: "module" }); w.onmessage = (e) => done(e.data); setTimeout(() => done("no answer"), 3000); })`,
    nestedWorker: inWorker(
      "new Worker",
      `const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(transport)}]))); w.onmessage = (e) => postMessage(e.data);`,
    ),
    sharedWorker: inWorker(
      "new SharedWorker",
      `onconnect = (e) => { const p = e.ports[0]; try { new WebTransport("https://127.0.0.1:${port}/"); p.postMessage("made") } catch (x) { p.postMessage("refused: " + x) } }`,
    ),
    // Last, since it breaks Blob and JSON for the rest of the page: the page swaps the tools the Worker wrapper would use for its own, then starts a worker.
    tamperedWorker: `new Promise((done) => { const real = window.URL.createObjectURL(new Blob([${JSON.stringify(transport)}])); URL.createObjectURL = () => real; window.Blob = function () {}; JSON.stringify = () => '""'; const w = new Worker("/nothing.js"); w.onmessage = (e) => done(e.data); setTimeout(() => done("no answer"), 3000); })`,
  };
};

async function tryEverything(page: Page): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const [name, code] of Object.entries(attempts(udpPort)))
    results[name] = String(await page.evaluate(code).catch((e: Error) => `error: ${e.message.split("\n")[0]}`));
  return results;
}

/**
 * Packets heard after a quiet window. Absence has no event to wait for: the window is as long as the
 * ordinary context below needs to leak (its first STUN packets come within ~100 ms).
 */
async function packetsAfter(ms: number): Promise<number> {
  await new Promise((r) => setTimeout(r, ms));
  return packets.length;
}

describe("channels around the proxy", () => {
  it("lets nothing out over UDP from a handoff page, its frames, popups or workers", async () => {
    const hb = await openHandoffBrowser({ browser, targetOrigin: origin, allowedSites: ["127.0.0.1"] });
    await hb.page.goto(origin);
    const before = packets.length;
    const results = await tryEverything(hb.page);
    expect(results.page).toMatch(/not a constructor|no RTCPeerConnection/);
    expect(results.iframe).toBe("no RTCPeerConnection");
    expect(results.popup).toBe("no RTCPeerConnection");
    expect(results.webTransport).toBe("refused");
    for (const name of ["worker", "moduleWorker", "nestedWorker", "sharedWorker"]) expect(results[name], name).toMatch(/^refused/);
    // The page's own blob never runs: the wrapper started the worker it was asked for, locked down.
    expect(results.tamperedWorker).not.toBe("made");
    // STUN retransmits for seconds; give a leak time to show.
    expect((await packetsAfter(1500)) - before).toBe(0);
    await hb.close();
  });

  it("hears the same attempts from an ordinary browser context, so the listener is really listening", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin);
    const before = packets.length;
    const results = await tryEverything(page);
    expect(results.page).toBe("offer made");
    // STUN binding requests start with the message type 0x0001 and the magic cookie 0x2112A442.
    await expect
      .poll(() => packets.slice(before).filter((p) => p.startsWith("\u0000\u0001") && p.slice(4, 8) === "\u0021\u0012\u00a4\u0042").length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await context.close();
  });
});

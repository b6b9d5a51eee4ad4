/**
 * Baton serving https itself (TLS_CERT_FILE / TLS_KEY_FILE), as a real phone on the local network
 * needs: a certificate made at run time, trusted by this test's client only, /healthz over https,
 * the session cookies `__Host-` and Secure, and the live channel over wss.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../lib/config/config";
import { makeSelfSignedCertificate } from "../../lib/tls/self-signed-certificate";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "canary-tls-operator-pw-Zq9x";
const TARGET = "http://127.0.0.1:4999";
let server: TestServer;
let certPem: string;
let certDir: string;

interface Answer {
  status: number;
  setCookie: string[];
  body: string;
}

/** One https request that trusts exactly the test's certificate (no global CA change). */
function httpsRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers, ca: certPem }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"] ?? [], body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), "baton-tls-"));
  const made = makeSelfSignedCertificate({ names: ["localhost", "127.0.0.1"], now: new Date() });
  certPem = made.certPem;
  writeFileSync(path.join(certDir, "cert.pem"), made.certPem);
  writeFileSync(path.join(certDir, "key.pem"), made.keyPem, { mode: 0o600 });
  server = await startTestServer({ env: { TLS_CERT_FILE: path.join(certDir, "cert.pem"), TLS_KEY_FILE: path.join(certDir, "key.pem") } });
  await server.services.operators.create({ email: "tls@example.com", password: PASSWORD });
});
afterAll(async () => {
  await server?.close();
  rmSync(certDir, { recursive: true, force: true });
});

describe("Baton serving TLS itself", () => {
  it("answers /healthz over https to a client that trusts the generated certificate", async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsRequest(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
  });

  it("refuses a client that does not trust the certificate", async () => {
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it("sets the operator session cookie as __Host- and Secure", async () => {
    const signIn = await httpsRequest(`${server.url}/api/operator/sign-in`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ email: "tls@example.com", password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.setCookie.find((c) => c.startsWith("__Host-baton-operator="));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "path=/", "samesite=strict"]));
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);

    // The live channel rides the same TLS listener (wss), admitted by that cookie.
    const socket = io(`${server.url}/operators`, {
      transports: ["websocket"],
      reconnection: false,
      ca: certPem,
      extraHeaders: { cookie: cookie!.split(";")[0], origin: server.url },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.once("connect_error", (e) => resolve(`refused: ${e.message}`));
    });
    socket.disconnect();
    expect(outcome).toBe("connected");
  });

  it("binds a phone with a __Host- Secure device cookie", async () => {
    const { apiKey } = await server.createAgent([TARGET]);
    const created = await httpsRequest(`${server.url}/api/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read your statements" }),
    });
    expect(created.status).toBe(201);
    const { token } = JSON.parse(created.body) as { token: string };
    const claim = await httpsRequest(`${server.url}/api/link/${token}/claim`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(claim.status).toBe(200);
    const cookie = claim.setCookie.find((c) => c.startsWith("__Host-baton-device="));
    expect(cookie?.toLowerCase()).toContain("secure");
  });
});

describe("TLS configuration", () => {
  const base = { NODE_ENV: "test", DATABASE_URL: "file:./x.db" };

  it("defaults the public origin to https when TLS files are set", () => {
    const config = parseConfig({ ...base, PORT: "3443", TLS_CERT_FILE: path.join(certDir, "cert.pem"), TLS_KEY_FILE: path.join(certDir, "key.pem") });
    expect(config.publicOrigin).toBe("https://127.0.0.1:3443");
    expect(config.isHttps).toBe(true);
    expect(config.tls).toEqual({ certFile: path.join(certDir, "cert.pem"), keyFile: path.join(certDir, "key.pem") });
  });

  it("names every TLS problem at once: a missing partner, an unreadable file, an http PUBLIC_URL", () => {
    let problems: string[] = [];
    try {
      parseConfig({ ...base, TLS_CERT_FILE: path.join(certDir, "missing.pem"), PUBLIC_URL: "http://baton.example" });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^TLS_CERT_FILE: file not found/),
        expect.stringMatching(/^TLS_KEY_FILE: /),
        expect.stringMatching(/^PUBLIC_URL: must be https/),
      ]),
    );
  });
});

/**
 * A handoff whose agent side is scripted from the test: a real agent key, real REST calls and a
 * real relay socket sealing with the link's key, but no browser behind it — so a test can send
 * the phone exactly the frames, notices and endings it wants to look at, at once.
 */
import type { Browser } from "playwright";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import type { ToWorkerMessage } from "../../lib/protocol/stream";
import { type AgentPeer, connectAgentPeer } from "../helpers/agent-peer";
import { E2E_URL } from "./e2e-env";
import { createAgent } from "./fixtures";

/** A target nobody serves: the scripted agent never loads it. */
export const SCRIPTED_TARGET = "http://127.0.0.1:4999";

export interface ScriptedHandoff {
  id: string;
  link: string;
  token: string;
  agent: AgentPeer;
  /** Reports a lifecycle event as the worker would (`live`, `captured`, `completed`, `failed`). */
  report(body: Record<string, unknown>): Promise<void>;
  /** Answers the phone's hello with its viewport and a real frame of that size. */
  showPicture(browser: Browser): Promise<void>;
  /** Waits until the phone has sent a message of this kind. */
  waitForMessage(t: ToWorkerMessage["t"]): Promise<ToWorkerMessage>;
}

export async function scriptedHandoff(options: { agentName?: string; reason?: string; identityProviders?: string[] } = {}): Promise<ScriptedHandoff> {
  const idps = options.identityProviders ?? [];
  const { apiKey } = await createAgent([SCRIPTED_TARGET], options.agentName ?? "Statements assistant", idps);
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const created = (await fetch(`${E2E_URL}/api/handoffs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ loginUrl: `${SCRIPTED_TARGET}/login`, reason: options.reason ?? "Download your March statements", identityProviders: idps }),
  }).then((r) => r.json())) as { id: string; linkPath: string };
  const link = `${E2E_URL}${created.linkPath}#k=${toBase64Url(randomSealKey())}`;
  const agent = await connectAgentPeer(E2E_URL, created.id, link, apiKey);
  const waitForMessage = async (t: ToWorkerMessage["t"]) => {
    for (let i = 0; i < 400; i++) {
      const found = agent.received.find((m) => m.t === t);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the phone sent no ${t}`);
  };
  return {
    id: created.id,
    link,
    token: created.linkPath.split("/").pop() ?? "",
    agent,
    waitForMessage,
    async report(body) {
      const response = await fetch(`${E2E_URL}/api/handoffs/${created.id}/report`, { method: "POST", headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`report ${JSON.stringify(body)}: HTTP ${response.status}`);
    },
    async showPicture(browser) {
      const hello = await waitForMessage("hello");
      if (hello.t !== "hello") throw new Error("no hello");
      const { width, height } = hello.viewport;
      await agent.sendControl({ t: "viewport", width, height });
      await agent.sendControl({ t: "page", origin: SCRIPTED_TARGET, isSecure: false, title: "Sign in", canGoBack: false, isPopup: false });
      await agent.sendJpeg(1, await loginPicture(browser, width, height), width, height);
      await agent.sendControl({ t: "phase", phase: "ready" });
    },
  };
}

/** A login page's picture as the worker's screencast would send it. */
async function loginPicture(browser: Browser, width: number, height: number): Promise<Uint8Array> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.setContent(
    `<body style="font:16px sans-serif;padding:16px"><h1>Sign in</h1><p>Username</p><input style="width:90%;height:40px"><p>Password</p><input style="width:90%;height:40px"></body>`,
  );
  const jpeg = await page.screenshot({ type: "jpeg", quality: 60 });
  await page.close();
  return new Uint8Array(jpeg);
}

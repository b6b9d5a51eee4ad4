import type { Cookie } from "playwright-core";
import { describe, expect, it } from "vitest";
import { handoffResult } from "../../worker/session/handoff-result";
import { FakeApi } from "../helpers/fake-api";

const cookie: Cookie = {
  name: "sid",
  value: "secret-session-value",
  domain: "bank.example",
  path: "/",
  expires: -1,
  httpOnly: true,
  secure: true,
  sameSite: "Lax",
};

function result(api: FakeApi, signOuts: string[]) {
  return handoffResult({
    handoffId: "hnd_1",
    cookies: [cookie],
    handed: { signOut: async () => void signOuts.push("signed out"), storageEntries: 3 },
    reuseDetected: true,
    detectedBy: "rule",
    timings: { linkReadyMs: 12, detectedToInjectedMs: 34 },
    api,
  });
}

describe("the handoff's result", () => {
  it("names the cookies handed over and never carries their values", () => {
    const r = result(new FakeApi(), []);
    expect(r).toMatchObject({
      status: "completed",
      handoffId: "hnd_1",
      cookies: [{ name: "sid", domain: "bank.example" }],
      reuseDetected: true,
      detectedBy: "rule",
      storageEntries: 3,
      timings: { linkReadyMs: 12, detectedToInjectedMs: 34 },
    });
    expect(JSON.stringify(r)).not.toContain("secret-session-value");
  });

  it("release signs the context out, then records it on the server", async () => {
    const api = new FakeApi();
    const signOuts: string[] = [];
    await result(api, signOuts).release();
    expect(signOuts).toEqual(["signed out"]);
    expect(api.reports).toEqual([{ event: "released" }]);
  });

  it("release still signs out and resolves when the server cannot be told", async () => {
    const api = new FakeApi();
    api.isReportFailing = true;
    const signOuts: string[] = [];
    await expect(result(api, signOuts).release()).resolves.toBeUndefined();
    expect(signOuts).toEqual(["signed out"]);
    expect(api.reports).toEqual([{ event: "released" }]);
  });
});

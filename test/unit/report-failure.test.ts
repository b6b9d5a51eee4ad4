import { describe, expect, it } from "vitest";
import { crashReason, reportFailure } from "../../worker/session/report-failure";
import { FakeApi } from "../helpers/fake-api";

describe("reporting a failure", () => {
  it("reports only after what the phone was told has gone out", async () => {
    const api = new FakeApi();
    let release!: () => void;
    const flushed = new Promise<void>((r) => (release = r));
    const reported = reportFailure(api, "hnd_1", flushed, "session_in_storage");
    await Promise.resolve();
    expect(api.reports).toEqual([]);
    release();
    await reported;
    expect(api.reports).toEqual([{ event: "failed", reason: "session_in_storage" }]);
  });

  it("settles without an error when the server cannot be told", async () => {
    const api = new FakeApi();
    api.isReportFailing = true;
    await expect(reportFailure(api, "hnd_1", Promise.resolve(), "relay_lost")).resolves.toBeUndefined();
    expect(api.reports).toEqual([{ event: "failed", reason: "relay_lost" }]);
  });

  it("names a crash by its kind only: a timeout, or a worker error", () => {
    const timeout = Object.assign(new Error("Timeout 30000ms exceeded navigating to https://bank.example/?q=secret"), { name: "TimeoutError" });
    expect(crashReason(timeout)).toBe("worker_timeout");
    expect(crashReason(new Error("page crashed at https://bank.example"))).toBe("worker_error");
    expect(crashReason("not an error")).toBe("worker_error");
  });
});

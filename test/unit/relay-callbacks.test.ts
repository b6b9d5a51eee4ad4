import { describe, expect, it } from "vitest";
import type { HandoffState } from "../../lib/lifecycle/states";
import { HandoffFailed } from "../../worker/errors";
import { relayCallbacks } from "../../worker/session/relay-callbacks";
import { FakeApi, statusOf } from "../helpers/fake-api";
import { flush } from "../helpers/fake-timers";

function host(api = new FakeApi()) {
  const events: string[] = [];
  const callbacks = relayCallbacks({
    handoffId: "hnd_1",
    api,
    isOver: () => false,
    applyState: (state: HandoffState, endReason) => void events.push(`state:${state}:${endReason}`),
    failWith: (error) => void events.push(`failed:${error.reason}`),
    viewerGone: () => void events.push("viewer_gone"),
    reuseDetected: (attempts) => void events.push(`reuse:${attempts}`),
    streamData: () => void events.push("data"),
  });
  return { api, events, callbacks };
}

describe("relay callbacks", () => {
  it("on an ended link, takes the server's end first, then fails as relay_lost", async () => {
    const api = new FakeApi();
    api.statusAnswer = statusOf("denied", "denied_by_user");
    const { events, callbacks } = host(api);
    callbacks.onEnded();
    await flush();
    expect(events).toEqual(["state:denied:denied_by_user", "failed:relay_lost"]);
  });

  it("on an ended link with the server unreachable, fails as relay_lost", async () => {
    const { events, callbacks } = host();
    callbacks.onEnded();
    await flush();
    expect(events).toEqual(["failed:relay_lost"]);
  });

  it("does not apply a state the server still calls in progress", async () => {
    const api = new FakeApi();
    api.statusAnswer = statusOf("live");
    const { events, callbacks } = host(api);
    callbacks.onLost(new HandoffFailed("hnd_1", "server_too_old"));
    await flush();
    expect(events).toEqual(["failed:server_too_old"]);
  });

  it("passes the relay's news on as it comes", () => {
    const { events, callbacks } = host();
    callbacks.onState("approved", null);
    callbacks.onPhoneGone();
    callbacks.onReuse(2);
    callbacks.onStreamData(new Uint8Array(1));
    expect(events).toEqual(["state:approved:null", "viewer_gone", "reuse:2", "data"]);
  });
});

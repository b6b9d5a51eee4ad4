import { describe, expect, it } from "vitest";
import { createOpener, createSealer, Direction, importSealKey, randomEpoch, randomSealKey, type Sealer } from "../../lib/crypto/seal";
import { decodeToPhone, encodeControl } from "../../lib/protocol/stream";
import { refusalError } from "../../worker/relay-link";
import { SealedChannel } from "../../worker/session/sealed-channel";
import { flush } from "../helpers/fake-timers";

async function keys() {
  const key = await importSealKey(randomSealKey());
  return {
    toPhone: createSealer(key, "hnd_1", Direction.toPhone, randomEpoch()),
    phoneOpens: createOpener(key, "hnd_1", Direction.toPhone),
    fromPhone: createSealer(key, "hnd_1", Direction.toWorker, randomEpoch()),
    workerOpens: createOpener(key, "hnd_1", Direction.toWorker),
  };
}

describe("sealed channel", () => {
  it("emits in the order messages were sent, whichever seal finishes first", async () => {
    const k = await keys();
    const emitted: Uint8Array[] = [];
    let call = 0;
    // The first seal takes longest.
    const slowFirst: Sealer = {
      seal: (plain) => {
        const sealed = k.toPhone.seal(plain);
        return call++ === 0 ? new Promise((r) => setTimeout(() => r(sealed), 20)) : sealed;
      },
    };
    const channel = new SealedChannel({ sealer: slowFirst, opener: k.workerOpens, emit: (p) => void emitted.push(p), canSend: () => true });
    channel.send({ t: "phase", phase: "loading" });
    channel.send({ t: "phase", phase: "ready" });
    await channel.flushed();
    const phases: string[] = [];
    for (const payload of emitted) {
      const opened = await k.phoneOpens.open(payload);
      const decoded = opened.ok ? decodeToPhone(opened.plain) : null;
      if (decoded?.ok && decoded.kind === "control" && decoded.message.t === "phase") phases.push(decoded.message.phase);
    }
    expect(phases).toEqual(["loading", "ready"]);
  });

  it("sends nothing while the relay would refuse it", async () => {
    const k = await keys();
    const emitted: Uint8Array[] = [];
    const channel = new SealedChannel({ sealer: k.toPhone, opener: k.workerOpens, emit: (p) => void emitted.push(p), canSend: () => false });
    channel.send({ t: "phase", phase: "ready" });
    await channel.flushed();
    await flush();
    expect(emitted).toEqual([]);
  });

  it("opens what the phone sealed, and drops what does not open or parse", async () => {
    const k = await keys();
    const channel = new SealedChannel({ sealer: k.toPhone, opener: k.workerOpens, emit: () => undefined, canSend: () => true });
    expect(await channel.open(await k.fromPhone.seal(encodeControl({ t: "signed_in" })))).toEqual({ t: "signed_in" });
    expect(await channel.open(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(await channel.open("not bytes")).toBeNull();
    expect(await channel.open(await k.fromPhone.seal(new TextEncoder().encode('\u0001{"t":"navigate"}')))).toBeNull();
  });
});

describe("relay refusals", () => {
  it("say which side is too old, and what the relay refused otherwise", () => {
    expect(refusalError("h", "client_too_old")).toMatchObject({ reason: "sdk_too_old" });
    expect(refusalError("h", "client_too_old").message).toMatch(/update the SDK/);
    expect(refusalError("h", "server_too_old").message).toMatch(/update the server/);
    expect(refusalError("h", "forbidden")).toMatchObject({ reason: "relay_lost" });
  });
});

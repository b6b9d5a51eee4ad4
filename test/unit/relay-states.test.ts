/**
 * The relay's per-node view of handoff states: a change is news only for a handoff this node holds
 * sockets for, the final state forgets it, and a change this node never heard about (pub/sub dropped
 * it) is found by the re-read from the database.
 */
import { expect, it } from "vitest";
import type { HandoffStore } from "../../lib/handoffs/handoff.store";
import type { HandoffState } from "../../lib/lifecycle/states";
import { createLogger } from "../../lib/logging/logger";
import { createRelayStates, type StateChange } from "../../lib/server/relay-states";

function setup(rows: Map<string, HandoffState>, held: Set<string>) {
  const changes: StateChange[] = [];
  let onChange: (change: StateChange) => void = () => {};
  const store = {
    findStates: async (ids: string[]) =>
      ids.filter((id) => rows.has(id)).map((id) => ({ id, state: rows.get(id)!, endReason: rows.get(id) === "expired" ? "idle" : null })),
  } as unknown as HandoffStore;
  const states = createRelayStates({
    store,
    logger: createLogger("silent"),
    holds: (id) => held.has(id),
    onChange: (change) => {
      changes.push(change);
      onChange(change);
    },
    recheckMs: 10,
  });
  const nextChange = () => new Promise<StateChange>((resolve) => (onChange = resolve));
  return { states, changes, nextChange };
}

it("takes a change only for a handoff it holds, and forgets one that ended", () => {
  const { states } = setup(new Map(), new Set(["h1"]));
  expect(states.apply({ id: "h1", state: "live", endReason: null })).toBe(false);
  states.admit("h1", "approved");
  expect(states.apply({ id: "h1", state: "approved", endReason: null })).toBe(false);
  expect(states.apply({ id: "h1", state: "live", endReason: null })).toBe(true);
  expect(states.get("h1")).toBe("live");
  expect(states.apply({ id: "h1", state: "failed", endReason: "agent_revoked" })).toBe(true);
  expect(states.get("h1")).toBeUndefined();
  states.stop();
});

it("finds an end it was never told about in the database, and reports it once", async () => {
  const rows = new Map<string, HandoffState>([["h1", "live"]]);
  const { states, changes, nextChange } = setup(rows, new Set(["h1", "h2"]));
  states.admit("h1", "live");
  rows.set("h1", "expired");
  expect(await nextChange()).toEqual({ id: "h1", state: "expired", endReason: "idle" });
  expect(states.get("h1")).toBeUndefined();
  // A handoff whose sockets have all left this node is not this node's to close.
  states.admit("h3", "live");
  rows.set("h3", "cancelled");
  states.admit("h2", "live");
  rows.set("h2", "cancelled");
  await nextChange();
  expect(changes.map((c) => `${c.id}:${c.state}`)).toEqual(["h1:expired", "h2:cancelled"]);
  expect(states.get("h3")).toBeUndefined();
  states.stop();
});

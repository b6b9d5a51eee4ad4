import { describe, expect, it } from "vitest";
import { agentLabels, shortId } from "../../components/dashboard/format";
import { shownDecision } from "../../lib/dashboard/audit-decision";
import { classifyBlocked } from "../../lib/dashboard/blocked-requests";
import { HistoryQuerySchema, historyWhere } from "../../lib/dashboard/history.query";
import { ActiveStates, EndedStates, HandoffStates, StateGroups } from "../../lib/lifecycle/states";

describe("decision pills", () => {
  it("shows no pill on a lifecycle row that was allowed only because the transition was legal", () => {
    for (const action of ["handoff.opened", "handoff.approved", "handoff.cancelled", "handoff.completed", "agent.revoked"])
      expect(shownDecision(action, "allow")).toBeNull();
    expect(shownDecision("audit.verified", "info")).toBeNull();
  });

  it("shows allow on auth and policy checks and deny on every refusal", () => {
    expect(shownDecision("operator.sign_in", "allow")).toBe("allow");
    expect(shownDecision("handoff.created", "allow")).toBe("allow");
    expect(shownDecision("auth.failures", "deny")).toBe("deny");
    expect(shownDecision("navigation.blocked", "deny")).toBe("deny");
  });
});

describe("blocked requests", () => {
  it("sorts a report into navigation, subresource or the browser's background traffic by the worker's labels only", () => {
    expect(classifyBlocked("t", "site", { blockedOrigin: "https://evil.example", isNavigation: true }).kind).toBe("navigation");
    expect(classifyBlocked("t", "site", { blockedOrigin: "https://cdn.example", isNavigation: false }).kind).toBe("subresource");
    expect(classifyBlocked("t", "site", { blockedOrigin: "https://update.googleapis.com", isNavigation: false, source: "browser" }).kind).toBe("background");
    // A Google host the page itself asked for is the page's request, not background noise.
    expect(classifyBlocked("t", "site", { blockedOrigin: "https://fonts.googleapis.com", isNavigation: false }).kind).toBe("subresource");
  });
});

describe("lifecycle groups", () => {
  it("covers every state exactly once, in lifecycle order", () => {
    expect(StateGroups.flatMap((g) => g.states)).toEqual([...HandoffStates]);
    expect([...ActiveStates, ...EndedStates]).toEqual([...HandoffStates]);
  });

  it("filters the history by a group as well as by one state", () => {
    expect(historyWhere(HistoryQuerySchema.parse({ status: "ended" }))).toEqual({ AND: [{ state: { in: [...EndedStates] } }] });
    expect(historyWhere(HistoryQuerySchema.parse({ status: "active" }))).toEqual({ AND: [{ state: { in: [...ActiveStates] } }] });
    expect(historyWhere(HistoryQuerySchema.parse({ status: "live" }))).toEqual({ AND: [{ state: "live" }] });
  });
});

describe("agent labels", () => {
  it("adds a short id only where two agents share a name", () => {
    const labels = agentLabels([
      { id: "agt_AAAAAAAAAAAAAAAA", name: "Bot" },
      { id: "agt_BBBBBBBBBBBBBBBB", name: "Bot" },
      { id: "agt_CCCCCCCCCCCCCCCC", name: "Other" },
    ]);
    expect([...labels.values()]).toEqual(["Bot · agt_AAAA", "Bot · agt_BBBB", "Other"]);
    expect(shortId("agt_CCCCCCCCCCCCCCCC")).toBe("agt_CCCC");
  });
});

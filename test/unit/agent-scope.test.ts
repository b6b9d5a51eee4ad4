import { describe, expect, it } from "vitest";
import { AgentScopeSchema } from "../../lib/agents/agent.store";

describe("agent scope", () => {
  it("keeps identity providers as lower-case registrable domains and refuses anything else", () => {
    const base = { name: "a", origins: ["https://bank.example"] };
    expect(AgentScopeSchema.parse({ ...base, identityProviders: ["IdP.Example"] }).identityProviders).toEqual(["idp.example"]);
    for (const bad of ["login.idp.example", "https://idp.example", "javascript:alert(1)", "idp.example/x"]) {
      expect(AgentScopeSchema.safeParse({ ...base, identityProviders: [bad] }).success, bad).toBe(false);
    }
  });
});

/**
 * The sites a handoff names, checked against its agent's scope at creation: identity providers the
 * page may visit, and further sites whose cookies are handed over. Two lists, never one: a site the
 * agent may visit to sign in is never a site whose session it takes.
 */
import type { AgentPrincipal } from "../agents/agent.store";
import type { AuditLog } from "../audit/audit-log";
import { AppError } from "../errors/app-error";
import { siteOf } from "../policy/target";
import type { CreateHandoffRequest } from "../protocol/api";

export async function checkHandoffScope(agent: AgentPrincipal, request: CreateHandoffRequest, audit: AuditLog): Promise<void> {
  const lists = [
    { field: "identityProviders", sites: request.identityProviders, allowed: agent.allowedIdps, label: "An identity provider", plural: "Identity providers" },
    { field: "handOverSites", sites: request.handOverSites, allowed: agent.allowedHandOver, label: "A hand-over site", plural: "Hand-over sites" },
  ] as const;
  for (const { field, sites, allowed, label, plural } of lists) {
    // The worker confines the page and the cookies by registrable domain, so a scope entry must be one.
    const notSites = sites.filter((name) => siteOf(name) !== name);
    if (notSites.length > 0) {
      throw new AppError(
        "BAD_REQUEST",
        `${field} not registrable domains`,
        { [field]: notSites },
        `${plural} must be registrable domains (idp.example, not login.idp.example).`,
      );
    }
    const outOfScope = sites.filter((site) => !allowed.includes(site));
    if (outOfScope.length > 0) {
      const reason = field === "identityProviders" ? "idp_not_allowed" : "hand_over_not_allowed";
      await audit.append({
        actor: "agent",
        action: "handoff.create_refused",
        decision: "deny",
        reason,
        agentId: agent.agentId,
        keyId: agent.keyId,
        details: { [field]: outOfScope },
      });
      throw new AppError("ORIGIN_NOT_ALLOWED", `${field} out of scope`, { [field]: outOfScope }, `${label} is outside this agent's scope.`);
    }
  }
  const both = request.handOverSites.filter((site) => request.identityProviders.includes(site));
  if (both.length > 0) {
    throw new AppError(
      "BAD_REQUEST",
      "site in both lists",
      { handOverSites: both },
      "A site is either an identity provider (visited) or handed over, never both.",
    );
  }
}

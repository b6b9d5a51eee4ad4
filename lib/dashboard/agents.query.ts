/** Agents with their per-agent figures, for the Agents page. Keys appear only as prefixes. */
import type { Db } from "../db/open-database";
import type { AgentStore } from "../agents/agent.store";
import { ActiveStates } from "../lifecycle/states";
import type { AgentWebhookStore } from "../webhooks/agent-webhook.store";
import { neutralizeText } from "../text/neutralize-text";

export interface AgentRow {
  id: string;
  name: string;
  origins: string[];
  identityProviders: string[];
  maxTtlSeconds: number;
  maxConcurrent: number;
  createdAt: string;
  revokedAt: string | null;
  keyPrefixes: string[];
  /** Where its events are sent, or null (the signing secret is never shown again). */
  webhookUrl: string | null;
  stats: { total: number; live: number; completed: number; unsuccessful: number; successRate: number | null; lastHandoffAt: string | null };
}

export async function queryAgents(db: Db, agents: AgentStore, webhooks: Pick<AgentWebhookStore, "urls">): Promise<AgentRow[]> {
  const [list, byState, last, webhookUrls] = await Promise.all([
    agents.list(),
    db.handoff.groupBy({ by: ["agentId", "state"], _count: { _all: true } }),
    db.handoff.groupBy({ by: ["agentId"], _max: { createdAt: true } }),
    webhooks.urls(),
  ]);
  return list.map((agent) => {
    const mine = byState.filter((g) => g.agentId === agent.id);
    const count = (pred: (state: string) => boolean) => mine.filter((g) => pred(g.state)).reduce((n, g) => n + g._count._all, 0);
    const live = count((s) => (ActiveStates as readonly string[]).includes(s));
    const completed = count((s) => s === "completed");
    const total = count(() => true);
    const unsuccessful = total - live - completed;
    const lastAt = last.find((g) => g.agentId === agent.id)?._max.createdAt ?? null;
    return {
      id: agent.id,
      name: neutralizeText(agent.name),
      origins: agent.origins.map((o) => neutralizeText(o)),
      identityProviders: agent.identityProviders,
      maxTtlSeconds: agent.maxTtlSeconds,
      maxConcurrent: agent.maxConcurrent,
      createdAt: agent.createdAt.toISOString(),
      revokedAt: agent.revokedAt ? agent.revokedAt.toISOString() : null,
      keyPrefixes: agent.keyPrefixes,
      webhookUrl: webhookUrls.get(agent.id) ?? null,
      stats: {
        total,
        live,
        completed,
        unsuccessful,
        successRate: completed + unsuccessful > 0 ? completed / (completed + unsuccessful) : null,
        lastHandoffAt: lastAt ? lastAt.toISOString() : null,
      },
    };
  });
}

/** Agents: who may ask for handoffs, for which sites, with which key — and how they are doing. */
import { AgentsManager } from "../../../../components/dashboard/agents-manager";
import { LiveRefresh } from "../../../../components/dashboard/live-refresh";
import { PageHeader } from "../../../../components/dashboard/stat-card";
import { queryAgents } from "../../../../lib/dashboard/agents.query";
import { getServices } from "../../../../lib/server/published-services";
import { requireOperatorPage } from "../../current-operator";

export default async function AgentsPage() {
  await requireOperatorPage();
  const services = getServices();
  const agents = await queryAgents(services.db, services.agents, services.webhooks);
  // Active agents first, newest first; revoked ones after, kept for the record.
  agents.sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) || b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <LiveRefresh intervalMs={2000} />
      <PageHeader title="Agents" />
      <AgentsManager agents={agents} />
    </>
  );
}

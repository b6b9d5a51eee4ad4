/** Choices for the history filters: agents by name and the target sites seen so far. */
import type { Db } from "../db/open-database";
import { neutralizeText } from "../text/neutralize-text";

export interface FilterOptions {
  agents: { id: string; name: string; isRevoked: boolean }[];
  sites: string[];
}

export async function queryFilterOptions(db: Db): Promise<FilterOptions> {
  const [agents, sites] = await Promise.all([
    db.agent.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, revokedAt: true } }),
    // Walks the (targetSite, createdAt, id) index; no table scan.
    // Quoted: PostgreSQL would fold bare camelCase names to lower case.
    db.$queryRaw<{ targetSite: string }[]>`SELECT DISTINCT "targetSite" FROM "Handoff" ORDER BY "targetSite" LIMIT 500`,
  ]);
  return { agents: agents.map((a) => ({ id: a.id, name: neutralizeText(a.name), isRevoked: a.revokedAt !== null })), sites: sites.map((s) => s.targetSite) };
}

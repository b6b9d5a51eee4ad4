/** The history's filters: status by the lifecycle's own groups and words, agent, site, dates, search. */
import type { FilterOptions } from "../../lib/dashboard/filter-options.query";
import { StateGroups } from "../../lib/lifecycle/states";
import { FilterForm, type FilterField } from "./filter-form";
import { agentLabels } from "./format";

export type HistoryFilterValues = {
  status?: string;
  agent?: string;
  site?: string;
  from?: string;
  to?: string;
  q?: string;
  size?: number;
};

export function HistoryFilters({ values, options }: { values: HistoryFilterValues; options: FilterOptions }) {
  const labels = agentLabels(options.agents);
  const fields: FilterField[] = [
    { kind: "search", name: "q", label: "Search", placeholder: "End-user ref, site, agent or handoff id" },
    {
      kind: "select",
      name: "status",
      label: "Status",
      anyLabel: "All handoffs",
      choices: StateGroups.map((g) => ({
        group: g.label,
        choices: [{ value: g.key, label: `All ${g.label.toLowerCase()}` }, ...g.states.map((s) => ({ value: s, label: s }))],
      })),
    },
    {
      kind: "select",
      name: "agent",
      label: "Agent",
      anyLabel: "Any agent",
      choices: options.agents.map((a) => ({ value: a.id, label: `${labels.get(a.id)}${a.isRevoked ? " (revoked)" : ""}` })),
    },
    { kind: "select", name: "site", label: "Target site", anyLabel: "Any site", choices: options.sites.map((s) => ({ value: s, label: s })) },
    { kind: "date", name: "from", label: "From (UTC)" },
    { kind: "date", name: "to", label: "To (UTC)" },
  ];
  const { size, ...filters } = values;
  return <FilterForm action="/dashboard/handoffs" label="Filter handoffs" fields={fields} values={filters} hidden={{ size }} />;
}

/** The audit log's filters: actor, decision, action prefix, handoff, agent, dates. */
import { AuditActors } from "../../lib/audit/audit-entry";
import { FilterForm, type FilterField } from "./filter-form";
import { humanize } from "./format";

export type AuditFilterValues = {
  actor?: string;
  decision?: string;
  action?: string;
  handoff?: string;
  agent?: string;
  from?: string;
  to?: string;
};

const FIELDS: FilterField[] = [
  { kind: "select", name: "actor", label: "Actor", anyLabel: "Anyone", choices: AuditActors.map((a) => ({ value: a, label: humanize(a) })) },
  {
    kind: "select",
    name: "decision",
    label: "Decision",
    anyLabel: "Any",
    choices: [
      { value: "allow", label: "allow" },
      { value: "deny", label: "deny" },
      { value: "info", label: "no decision (info)" },
    ],
  },
  { kind: "text", name: "action", label: "Action starts with", placeholder: "handoff.", maxLength: 64, isCode: true },
  { kind: "text", name: "handoff", label: "Handoff id", placeholder: "hnd_…", maxLength: 64, isCode: true },
  { kind: "text", name: "agent", label: "Agent id", placeholder: "agt_…", maxLength: 64, isCode: true },
  { kind: "date", name: "from", label: "From (UTC)" },
  { kind: "date", name: "to", label: "To (UTC)" },
];

export function AuditFilters({ values }: { values: AuditFilterValues }) {
  return <FilterForm action="/dashboard/audit" label="Filter the audit log" fields={FIELDS} values={values} />;
}

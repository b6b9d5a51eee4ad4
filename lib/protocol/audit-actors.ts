/** Who an audit row says acted: shared by the audit writer and the dashboard's filters. */
export const AuditActors = ["agent", "end_user", "operator", "system"] as const;
export type AuditActor = (typeof AuditActors)[number];

import Link from "next/link";
import { EmptyState } from "../../../../../components/dashboard/stat-card";

export default function HandoffNotFound() {
  return (
    <EmptyState title="No such handoff">
      It may have been typed wrong.{" "}
      <Link className="underline" href="/dashboard/handoffs">
        Back to the history
      </Link>
    </EmptyState>
  );
}

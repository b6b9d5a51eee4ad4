/**
 * The operator behind this page request, checked against the database like every API call.
 * Each dashboard page calls it itself: a client navigation can render a page without its layout.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { type OperatorContext, resolveOperator } from "../../lib/server/operator-auth";
import { getServices } from "../../lib/server/published-services";

export async function currentOperator(): Promise<OperatorContext | null> {
  const header = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return resolveOperator(header, getServices());
}

/** The signed-in operator, or a redirect to the sign-in page. */
export async function requireOperatorPage(): Promise<OperatorContext> {
  const operator = await currentOperator();
  if (!operator) redirect("/dashboard/sign-in");
  return operator;
}

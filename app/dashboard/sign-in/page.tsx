import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "../../../components/dashboard/sign-in-form";
import { currentOperator } from "../current-operator";

export const metadata: Metadata = { title: "Sign in · Baton" };

export default async function SignInPage() {
  if (await currentOperator()) redirect("/dashboard");
  return (
    <main className="flex min-h-dvh items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-2 text-sm font-semibold text-muted">
          <span aria-hidden className="inline-block size-2.5 rounded-full bg-sky-600" />
          Baton
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">Operator sign-in</h1>
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">See your agents&apos; handoffs, manage their keys and check the audit log.</p>
        <SignInForm />
      </div>
    </main>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DashboardProvider } from "../../../components/dashboard/dashboard-context";
import { DashboardNav } from "../../../components/dashboard/dashboard-nav";
import { requireOperatorPage } from "../current-operator";

export const metadata: Metadata = { title: "Baton · Dashboard" };

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { session, csrfToken } = await requireOperatorPage();
  return (
    <DashboardProvider email={session.email} csrfToken={csrfToken}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-30 focus:rounded focus:bg-white focus:px-3 focus:py-1 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <DashboardNav />
      <main id="main" className="mx-auto w-full max-w-7xl px-6 py-6">
        {children}
      </main>
    </DashboardProvider>
  );
}

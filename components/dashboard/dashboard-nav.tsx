"use client";
/** The top bar: brand, the four sections, the live-connection light, the operator, sign-out. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { OkResponseSchema } from "../../lib/protocol/operator-api";
import { useDashboard } from "./dashboard-context";
import { operatorPost } from "./operator-fetch";

const SECTIONS = [
  { href: "/dashboard", label: "Overview" },
  { href: "/dashboard/handoffs", label: "Handoffs" },
  { href: "/dashboard/agents", label: "Agents" },
  { href: "/dashboard/audit", label: "Audit" },
] as const;

const isCurrent = (pathname: string, href: string) => (href === "/dashboard" ? pathname === href : pathname.startsWith(href));

export function DashboardNav() {
  const pathname = usePathname();
  const { email, csrfToken, liveStatus } = useDashboard();
  const [isSigningOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    await operatorPost("/api/operator/sign-out", csrfToken, {}, OkResponseSchema);
    // Whatever the answer, leave: the session is gone or was already.
    window.location.assign("/dashboard/sign-in");
  }

  return (
    <header className="sticky top-0 z-20 border-b border-neutral-200 bg-white/90 backdrop-blur dark:border-neutral-800 dark:bg-neutral-950/90">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-6 lg:gap-6">
        <Link
          href="/dashboard"
          className="flex items-center gap-2 rounded text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
        >
          <span aria-hidden className="inline-block size-2.5 rounded-full bg-sky-600" />
          Baton
        </Link>
        <nav aria-label="Dashboard" className="flex items-center gap-1">
          {SECTIONS.map((s) => {
            const current = isCurrent(pathname, s.href);
            return (
              <Link
                key={s.href}
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 ${current ? "bg-neutral-100 text-neutral-900 dark:bg-neutral-800 dark:text-white" : "text-neutral-600 hover:text-neutral-900 dark:text-neutral-400 dark:hover:text-white"}`}
              >
                {s.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-4 text-sm">
          <span data-testid="live-status" className="flex w-24 items-center gap-1.5 text-muted" title="Live updates">
            <span
              aria-hidden
              className={`size-2 rounded-full ${liveStatus === "live" ? "bg-emerald-500" : liveStatus === "connecting" ? "bg-amber-400" : "bg-rose-500"}`}
            />
            {liveStatus === "live" ? "Live" : liveStatus === "connecting" ? "Connecting" : "Offline"}
          </span>
          <span className="hidden max-w-56 truncate text-neutral-600 lg:inline dark:text-neutral-400" title={email}>
            {email}
          </span>
          <button
            type="button"
            onClick={signOut}
            disabled={isSigningOut}
            className="rounded-md border border-neutral-300 px-3 py-1.5 font-medium whitespace-nowrap hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-50 dark:border-neutral-700 dark:hover:bg-neutral-900"
          >
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}

import type { ReactNode } from "react";
import { strings } from "./strings";

/** The frame every phone screen shares: brand, content, and who runs this server. */
export function PageShell({ children, footer, state }: { children: ReactNode; footer?: ReactNode; state: string }) {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col px-5 pt-[max(1rem,env(safe-area-inset-top))] pb-[max(1rem,env(safe-area-inset-bottom))]">
      <header className="flex items-center gap-2 py-2 text-sm font-semibold text-neutral-500">
        <span aria-hidden className="inline-block size-2.5 rounded-full bg-sky-600" />
        {strings.brand}
        <span data-testid="handoff-state" className="sr-only">
          {state}
        </span>
      </header>
      {children}
      {footer ? <footer className="pt-6 text-center text-xs text-neutral-500">{footer}</footer> : null}
    </main>
  );
}

import type { ReactNode } from "react";
import { strings } from "./strings";

/**
 * The frame every phone screen shares: who runs this Baton at the top (so the person knows whom
 * they are dealing with before reading anything an agent wrote), then the content.
 */
export function PageShell({ children, state, operatorName, isWide = false }: { children: ReactNode; state: string; operatorName: string; isWide?: boolean }) {
  return (
    <main
      className={`mx-auto flex min-h-dvh w-full max-w-md flex-col px-5 pt-[max(0.75rem,env(safe-area-inset-top))] pb-[max(1rem,env(safe-area-inset-bottom))] phone-landscape:pt-2 phone-landscape:pr-[max(1.5rem,env(safe-area-inset-right))] phone-landscape:pl-[max(1.5rem,env(safe-area-inset-left))] ${isWide ? "phone-landscape:max-w-4xl" : "phone-landscape:max-w-2xl"}`}
    >
      <header className="flex items-center gap-2 py-2 text-sm text-neutral-700 dark:text-neutral-300">
        <span aria-hidden className="inline-block size-2.5 shrink-0 rounded-full bg-sky-700 dark:bg-sky-500" />
        <span>
          <span className="font-semibold">{strings.brand}</span> · <span data-testid="operator-name">{strings.consent.runBy(operatorName)}</span>
        </span>
        <span data-testid="handoff-state" className="sr-only">
          {state}
        </span>
      </header>
      {children}
    </main>
  );
}

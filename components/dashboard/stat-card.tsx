import type { ReactNode } from "react";

/** One headline figure. Fixed height and tabular digits, so a changing number moves nothing. */
export function StatCard({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div className="flex h-24 flex-col justify-between rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-900">
      <div className="text-xs font-medium uppercase tracking-wide text-muted">{label}</div>
      <div data-testid={testId} className="text-2xl font-semibold tabular-nums">
        {value}
      </div>
      {hint ? <div className="truncate text-xs text-muted">{hint}</div> : null}
    </div>
  );
}

export function Panel({ title, children, actions, className = "" }: { title: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={`rounded-lg border border-neutral-200 bg-white p-5 dark:border-neutral-800 dark:bg-neutral-900 ${className}`}>
      <div className="mb-4 flex items-center justify-between gap-4">
        <h2 className="text-sm font-semibold">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-neutral-300 px-6 py-12 text-center dark:border-neutral-700">
      <p className="text-sm font-semibold">{title}</p>
      {children ? <div className="mt-2 max-w-md text-sm text-neutral-600 dark:text-neutral-400">{children}</div> : null}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}

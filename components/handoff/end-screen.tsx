import type { ReactNode } from "react";

const tones = {
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200",
  neutral: "bg-neutral-200 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-200",
  bad: "bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200",
  busy: "bg-sky-100 text-sky-800 dark:bg-sky-900/60 dark:text-sky-200",
} as const;

const icons = { good: "✓", neutral: "–", bad: "!", busy: "…" } as const;

/**
 * A full-screen outcome: one icon, one title, one sentence, then what the person may want to know
 * or do next (what was shared, how to undo it, a report). The outcome is announced to screen readers.
 */
export function EndScreen({ tone, title, children, more }: { tone: keyof typeof tones; title: string; children: ReactNode; more?: ReactNode }) {
  return (
    <section className="flex flex-1 flex-col items-center justify-center gap-4 px-6 py-8 text-center phone-landscape:py-4">
      <div role="status" aria-live="polite" className="flex flex-col items-center gap-4">
        <div aria-hidden className={`flex size-16 items-center justify-center rounded-full text-3xl font-bold ${tones[tone]}`}>
          {icons[tone]}
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="max-w-sm text-base leading-relaxed text-neutral-700 dark:text-neutral-300">{children}</p>
      </div>
      {more}
    </section>
  );
}

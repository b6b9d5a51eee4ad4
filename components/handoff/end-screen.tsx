import type { ReactNode } from "react";

const tones = {
  good: "bg-emerald-100 text-emerald-700 dark:bg-emerald-900/60 dark:text-emerald-300",
  neutral: "bg-neutral-200 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300",
  bad: "bg-red-100 text-red-700 dark:bg-red-900/60 dark:text-red-300",
  busy: "bg-sky-100 text-sky-700 dark:bg-sky-900/60 dark:text-sky-300",
} as const;

const icons = { good: "✓", neutral: "–", bad: "!", busy: "…" } as const;

/** A full-screen outcome: one icon, one title, one sentence. Announced to screen readers. */
export function EndScreen({ tone, title, children }: { tone: keyof typeof tones; title: string; children: ReactNode }) {
  return (
    <section role="status" aria-live="polite" className="flex flex-1 flex-col items-center justify-center gap-5 px-8 py-12 text-center">
      <div aria-hidden className={`flex size-20 items-center justify-center rounded-full text-4xl font-bold ${tones[tone]}`}>
        {icons[tone]}
      </div>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="max-w-sm text-base leading-relaxed text-neutral-600 dark:text-neutral-400">{children}</p>
    </section>
  );
}

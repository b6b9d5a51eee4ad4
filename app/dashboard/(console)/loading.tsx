/** Shown while a dashboard page renders: the shapes of a page, not a spinner, so nothing jumps. */
export default function Loading() {
  return (
    <div role="status" aria-label="Loading" className="animate-pulse space-y-6">
      <div className="h-8 w-48 rounded bg-neutral-200 dark:bg-neutral-800" />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-24 rounded-lg bg-neutral-200 dark:bg-neutral-800" />
        ))}
      </div>
      <div className="h-72 rounded-lg bg-neutral-200 dark:bg-neutral-800" />
    </div>
  );
}

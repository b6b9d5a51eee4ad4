import { strings } from "../components/handoff/strings";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-3 px-6">
      <h1 className="text-2xl font-semibold">{strings.notFound.title}</h1>
      <p className="text-neutral-600 dark:text-neutral-400">{strings.notFound.body}</p>
    </main>
  );
}

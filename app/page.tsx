import { strings } from "../components/handoff/strings";

export default function Home() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-6">
      <h1 className="text-3xl font-semibold tracking-tight">{strings.home.title}</h1>
      <p className="text-base leading-relaxed text-neutral-600 dark:text-neutral-400">{strings.home.body}</p>
    </main>
  );
}

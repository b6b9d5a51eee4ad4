"use client";
/** Email and password; the server answers with a generic refusal or a lock with its wait. */
import { type FormEvent, useState } from "react";
import { OperatorSessionResponseSchema, type SignInRequest } from "../../lib/protocol/operator-api";
import { operatorPost } from "./operator-fetch";
import { formText } from "./form-text";

export function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    // No CSRF token exists before sign-in; the server checks the Origin instead.
    const request: SignInRequest = { email: formText(form, "email"), password: formText(form, "password") };
    const result = await operatorPost("/api/operator/sign-in", "", request, OperatorSessionResponseSchema);
    if (result.ok) {
      window.location.assign("/dashboard");
      return;
    }
    setBusy(false);
    setError(result.code === "BAD_REQUEST" ? "Enter your email address and password." : result.message);
  }

  return (
    <form onSubmit={submit} className="mt-8 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          className="mt-1 block w-full rounded-md border border-neutral-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-900"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-neutral-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-900"
        />
      </div>
      <p role="alert" aria-live="assertive" className="min-h-5 text-sm text-rose-700 dark:text-rose-400">
        {error}
      </p>
      <button
        type="submit"
        disabled={isBusy}
        className="w-full rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 disabled:opacity-60"
      >
        {isBusy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

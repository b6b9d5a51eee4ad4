/**
 * Launch options for the Chromium that the demo, the tests and the benchmark drive. Playwright's
 * own browser is used when installed; otherwise BATON_CHROMIUM_PATH, else a system `chromium`.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type LaunchOptions } from "playwright";

const SYSTEM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Flags that keep Chromium quiet on a closed network (no background services phoning home). */
export const QUIET_FLAGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-default-apps",
  "--disable-features=Translate,OptimizationHints,MediaRouter",
];

export function chromiumExecutable(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.BATON_CHROMIUM_PATH) return env.BATON_CHROMIUM_PATH;
  if (existsSync(chromium.executablePath())) return undefined;
  return SYSTEM_CANDIDATES.find((p) => existsSync(p));
}

export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return {
    headless: true,
    executablePath: chromiumExecutable(),
    args: [...QUIET_FLAGS, ...(isRoot ? ["--no-sandbox"] : []), ...extraArgs],
  };
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  try {
    return await chromium.launch(chromiumLaunchOptions(extraArgs));
  } catch (error) {
    throw new Error(
      `Could not start Chromium (${(error as Error).message.split("\n")[0]}). Install it with \`apt-get install -y chromium\` or set BATON_CHROMIUM_PATH.`,
      { cause: error },
    );
  }
}

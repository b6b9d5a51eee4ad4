/**
 * Where Next's server components find the running services. The custom server publishes them at
 * start; Next bundles its own copy of modules, so a module-level singleton would not be shared,
 * but `globalThis` is.
 */
import type { Services } from "./services";

const KEY = Symbol.for("baton.services");

export function publishServices(services: Services | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Record<symbol, unknown>)[KEY] as Services | undefined;
  if (!services) throw new Error("Baton services are not running: start the app with `npm start` or `npm run dev` (server.ts), not `next start`.");
  return services;
}

/**
 * The operator dashboard's REST API (`/api/operator/*`, `/api/dashboard/*`), beside the agent and
 * phone API. Every handler checks the operator session itself; every mutation also checks origin
 * and the CSRF token (operator-auth.ts). The same router as the agent API (router.ts).
 */
import { agentRoutes } from "./operator-api/agents.routes";
import { auditRoutes } from "./operator-api/audit.routes";
import { handoffRoutes } from "./operator-api/handoffs.routes";
import { sessionRoutes } from "./operator-api/session.routes";
import { createRouter, type Route } from "./router";
import type { Services } from "./services";

const routes: Route[] = [...sessionRoutes, ...handoffRoutes, ...agentRoutes, ...auditRoutes];

export function isOperatorPath(path: string): boolean {
  return path.startsWith("/api/operator/") || path.startsWith("/api/dashboard/");
}

export function createOperatorRouter(services: Services) {
  return createRouter(routes, services, (path) => path.slice(0, 80));
}

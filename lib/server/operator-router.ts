/**
 * The operator dashboard's REST API (`/api/operator/*`, `/api/dashboard/*`), beside the agent and
 * phone API. Every handler checks the operator session itself; every mutation also checks origin
 * and the CSRF token (operator-auth.ts). Errors map once through AppError.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../errors/app-error";
import { sendError } from "./http-json";
import { agentRoutes } from "./operator-api/agents.routes";
import { auditRoutes } from "./operator-api/audit.routes";
import { handoffRoutes } from "./operator-api/handoffs.routes";
import type { Route } from "./operator-api/route";
import { sessionRoutes } from "./operator-api/session.routes";
import type { Services } from "./services";
import { decodePathParam } from "./strict-url";

const routes: Route[] = [...sessionRoutes, ...handoffRoutes, ...agentRoutes, ...auditRoutes];

export function isOperatorPath(path: string): boolean {
  return path.startsWith("/api/operator/") || path.startsWith("/api/dashboard/");
}

export function createOperatorRouter(services: Services) {
  return async function handleOperatorApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      const matches = routes.filter((r) => r.pattern.test(path));
      if (matches.length === 0) throw new AppError("NOT_FOUND", `no route ${path.slice(0, 60)}`);
      const route = matches.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader("allow", matches.map((r) => r.method).join(", "));
        throw new AppError("METHOD_NOT_ALLOWED", `${req.method} ${path.slice(0, 40)}`);
      }
      const params = (route.pattern.exec(path) ?? []).slice(1).map(decodePathParam);
      await route.handler({ req, res, params, services });
    } catch (error) {
      sendError(res, error, services.logger, `${req.method} ${path.slice(0, 80)}`);
    }
  };
}

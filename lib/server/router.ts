/**
 * The one router of Baton's REST APIs (the agent and link API, the operator API): a table of
 * method + pattern → handler. Every answer that is not the handler's own comes from the error
 * table: a path no route knows is NOT_FOUND, a known path with another method (HEAD and OPTIONS
 * included: no route serves them) is METHOD_NOT_ALLOWED with `Allow`, and a path parameter with a
 * malformed escape is MALFORMED_ENCODING — never a URIError's 500.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../errors/app-error";
import { sendError } from "./http-json";
import type { Services } from "./services";
import { decodePathParam } from "./strict-url";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The pattern's groups, each percent-decoded. */
  params: string[];
  services: Services;
}

export type Handler = (ctx: RouteContext) => Promise<void>;

export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

/**
 * @param logName how a request's path appears in the log: the route family, never a part that
 *   can carry a secret (a link token)
 */
export function createRouter(routes: readonly Route[], services: Services, logName: (path: string) => string) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      const matches = routes.filter((r) => r.pattern.test(path));
      if (matches.length === 0) throw new AppError("NOT_FOUND", `no route ${logName(path)}`);
      const route = matches.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader("allow", [...new Set(matches.map((r) => r.method))].join(", "));
        throw new AppError("METHOD_NOT_ALLOWED", `${req.method} ${logName(path)}`);
      }
      const params = (route.pattern.exec(path) ?? []).slice(1).map(decodePathParam);
      await route.handler({ req, res, params, services });
    } catch (error) {
      sendError(res, error, services.logger, `${req.method} ${logName(path)}`);
    }
  };
}

/** The agent's REST calls to the Baton server, parsed with the shared protocol schemas. */
import {
  type CreateHandoffRequest,
  type CreateHandoffResponse,
  CreateHandoffResponseSchema,
  type HandoffStatus,
  HandoffStatusSchema,
  type ReportRequest,
  type BlockedReport,
  type BlockedReportResponse,
  BlockedReportResponseSchema,
} from "../lib/protocol/api";
import { ErrorBodySchema } from "../lib/protocol/errors";
import { type z } from "zod";
import { BatonApiError } from "./errors";

/** A call the server refused as BUSY (no database write of it kept) is made again, this many times in all. */
export const BUSY_ATTEMPTS = 3;
/** The longest wait between them the SDK takes from the server's Retry-After. */
const BUSY_MAX_WAIT_MS = 10_000;

export class ApiClient {
  constructor(
    private readonly serverUrl: string,
    private readonly apiKey: string,
  ) {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(method, path, schema, body);
      } catch (error) {
        if (!(error instanceof BusyError) || attempt >= BUSY_ATTEMPTS) throw error instanceof BusyError ? error.apiError : error;
        await new Promise((resolve) => setTimeout(resolve, error.waitMs));
      }
    }
  }

  private async callOnce<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.serverUrl), {
        method,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new BatonApiError("UNREACHABLE", `Baton server at ${this.serverUrl} is unreachable: ${(error as Error).message}`, 0);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(json);
      if (!parsed.success) throw new BatonApiError("HTTP_ERROR", `HTTP ${response.status}`, response.status);
      const apiError = new BatonApiError(parsed.data.error.code, parsed.data.error.message, response.status);
      if (apiError.code === "BUSY") throw new BusyError(apiError, Number(response.headers.get("retry-after") ?? Number.NaN));
      throw apiError;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new BatonApiError("BAD_RESPONSE", "The server's answer did not match the protocol.", response.status);
    return parsed.data;
  }

  create(request: CreateHandoffRequest): Promise<CreateHandoffResponse> {
    return this.call("POST", "/api/handoffs", CreateHandoffResponseSchema, request);
  }

  status(id: string): Promise<HandoffStatus> {
    return this.call("GET", `/api/handoffs/${encodeURIComponent(id)}`, HandoffStatusSchema);
  }

  reportBlocked(id: string, report: BlockedReport): Promise<BlockedReportResponse> {
    return this.call("POST", `/api/handoffs/${encodeURIComponent(id)}/blocked`, BlockedReportResponseSchema, report);
  }

  report(id: string, report: ReportRequest): Promise<HandoffStatus> {
    return this.call("POST", `/api/handoffs/${encodeURIComponent(id)}/report`, HandoffStatusSchema, report);
  }
}

/** The server was busy: the call may be made again after `waitMs`. */
class BusyError extends Error {
  readonly waitMs: number;

  constructor(
    readonly apiError: BatonApiError,
    retryAfterSeconds: number,
  ) {
    super(apiError.message);
    this.waitMs = Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? Math.min(retryAfterSeconds * 1000, BUSY_MAX_WAIT_MS) : 1000;
  }
}

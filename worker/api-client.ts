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

export class ApiClient {
  constructor(
    private readonly serverUrl: string,
    private readonly apiKey: string,
  ) {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
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
      throw new BatonApiError(parsed.data.error.code, parsed.data.error.message, response.status);
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

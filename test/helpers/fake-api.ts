/** A stand-in for the worker's ApiClient that records every call and answers as a test sets it up. */
import type { CreateHandoffRequest, CreateHandoffResponse, HandoffStatus, ReportRequest } from "../../lib/protocol/api";
import type { HandoffState } from "../../lib/lifecycle/states";

export const createdHandoff: CreateHandoffResponse = {
  id: "hnd_1",
  token: "tok",
  linkPath: "/h/tok",
  confirmationCode: "BCDFGHJK",
  expiresAt: "2026-12-01T12:00:00.000Z",
  targetOrigin: "https://bank.example",
  targetSite: "bank.example",
  pollInterval: 2,
  sessionIdleSeconds: 10,
};

export function statusOf(state: HandoffState, endReason: string | null = null): HandoffStatus {
  return {
    id: "hnd_1",
    state,
    targetOrigin: "https://bank.example",
    createdAt: "2026-12-01T11:50:00.000Z",
    expiresAt: "2026-12-01T12:00:00.000Z",
    openedAt: null,
    approvedAt: null,
    liveAt: null,
    capturedAt: null,
    completedAt: null,
    endedAt: null,
    endReason,
    reuseDetected: false,
    cookies: null,
  };
}

export class FakeApi {
  readonly created: CreateHandoffRequest[] = [];
  readonly reports: ReportRequest[] = [];
  /** What `status` answers; an Error is thrown as an unreachable server would. */
  statusAnswer: HandoffStatus | Error = new Error("unreachable");
  /** When set, `report` fails as an unreachable server would. */
  isReportFailing = false;

  create = (request: CreateHandoffRequest): Promise<CreateHandoffResponse> => {
    this.created.push(request);
    return Promise.resolve(createdHandoff);
  };

  report = (_id: string, report: ReportRequest): Promise<HandoffStatus> => {
    this.reports.push(report);
    return this.isReportFailing ? Promise.reject(new Error("unreachable")) : Promise.resolve(statusOf("live"));
  };

  status = (): Promise<HandoffStatus> => (this.statusAnswer instanceof Error ? Promise.reject(this.statusAnswer) : Promise.resolve(this.statusAnswer));
}

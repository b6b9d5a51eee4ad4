import { describe, expect, it } from "vitest";
import { AppError, ErrorCodes, type ErrorCode } from "../../lib/errors/app-error";
import { ErrorBodySchema } from "../../lib/protocol/errors";

describe("the error contract", () => {
  it("reads every code of the server's table as itself", () => {
    for (const code of Object.keys(ErrorCodes) as ErrorCode[]) {
      const parsed = ErrorBodySchema.parse(new AppError(code).toBody());
      expect(parsed.error.code, code).toBe(code);
      expect(parsed.error.message).toBe(ErrorCodes[code].message);
    }
  });

  it("reads a code this side does not know (a newer server's) as UNKNOWN, keeping the message", () => {
    const parsed = ErrorBodySchema.parse({ error: { code: "PASSKEY_REQUIRED", message: "Use your passkey." } });
    expect(parsed.error).toEqual({ code: "UNKNOWN", message: "Use your passkey." });
  });

  it("refuses a body that is not an error body at all", () => {
    for (const body of [
      null,
      {},
      { error: "nope" },
      { error: { message: "no code" } },
      { error: { code: 7, message: "x" } },
      { error: { code: "X".repeat(65), message: "x" } },
    ]) {
      expect(ErrorBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

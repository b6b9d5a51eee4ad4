import { describe, expect, it } from "vitest";
import { isDatabaseBusy } from "../../lib/db/busy";

/** Errors shaped as Prisma 7 throws them (the 55P03 one as measured through the pg driver adapter). */
const prismaError = (code: string, meta?: unknown, message = "prisma") =>
  Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta });

describe("a busy database", () => {
  it("is a lock timeout on the chain, or a transaction out of time or unable to start in time", () => {
    const lockTimeout = { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "55P03", kind: "postgres", code: "55P03" } } };
    expect(isDatabaseBusy(prismaError("P2010", lockTimeout))).toBe(true);
    expect(isDatabaseBusy(prismaError("P2010", { code: "55P03", message: "canceling statement due to lock timeout" }))).toBe(true);
    expect(isDatabaseBusy(prismaError("P2028", { operation: "commit", timeout: 20000, timeTaken: 20004 }))).toBe(true);
    expect(isDatabaseBusy(prismaError("P2028", undefined, "Transaction API error: Unable to start a transaction in the given time."))).toBe(true);
  });

  it("is not any other failure: a raw query's other errors, a unique violation, plain errors, nothing", () => {
    expect(isDatabaseBusy(prismaError("P2010", { driverAdapterError: { cause: { code: "42P01" } } }))).toBe(false);
    expect(isDatabaseBusy(prismaError("P2010"))).toBe(false);
    expect(isDatabaseBusy(prismaError("P2002", { target: ["seq"] }))).toBe(false);
    // P2028's other meanings are faults, one of them after a commit: never "try again".
    expect(isDatabaseBusy(prismaError("P2028", undefined, "Transaction already closed: A query cannot be executed on a committed transaction."))).toBe(false);
    expect(isDatabaseBusy(prismaError("P2024"))).toBe(false);
    expect(isDatabaseBusy(new Error("canceling statement due to lock timeout"))).toBe(false);
    expect(isDatabaseBusy(Object.assign(new Error("x"), { code: 55 }))).toBe(false);
    expect(isDatabaseBusy(null)).toBe(false);
    expect(isDatabaseBusy("P2028")).toBe(false);
  });
});

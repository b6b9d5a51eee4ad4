/**
 * DATABASE_URL: a SQLite file (the default) or a PostgreSQL server; with PostgreSQL, the secrets that
 * a single machine would make for itself must be set, because every node must share them.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../lib/config/config";

const SECRETS = { SESSION_SECRET: "s".repeat(32), WEBHOOK_SECRET_KEY: "k".repeat(43) };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ NODE_ENV: "test", ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("DATABASE_URL", () => {
  it("keeps made-up secrets beside a SQLite file", () => {
    expect(parseConfig({ NODE_ENV: "test", DATABASE_URL: "file:./data/baton.db" }).dataDir).toBe(path.resolve("data"));
  });

  it("accepts a postgresql:// or postgres:// URL with both shared secrets, and keeps no data folder", () => {
    for (const url of ["postgresql://baton:pw@db.internal:5432/baton", "postgres://baton@127.0.0.1/baton"]) {
      const config = parseConfig({ NODE_ENV: "test", DATABASE_URL: url, ...SECRETS });
      expect(config.databaseUrl).toBe(url);
      expect(config.dataDir).toBeNull();
    }
  });

  it("refuses PostgreSQL without SESSION_SECRET and WEBHOOK_SECRET_KEY, naming both and why", () => {
    const problems = problemsOf({ DATABASE_URL: "postgresql://baton:pw@db.internal:5432/baton" });
    expect(problems).toEqual([
      "SESSION_SECRET: required with PostgreSQL: every node must use the same one, so it cannot be made on each machine",
      "WEBHOOK_SECRET_KEY: required with PostgreSQL: every node must use the same one, so it cannot be made on each machine",
    ]);
  });

  it("refuses other URLs without echoing them (they may carry a password)", () => {
    for (const url of ["mysql://root:hunter2@db/baton", "postgresql://", "baton.db"]) {
      const problems = problemsOf({ DATABASE_URL: url, ...SECRETS });
      expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a SQLite file URL/)]);
      expect(problems.join("\n")).not.toContain("hunter2");
    }
  });
});

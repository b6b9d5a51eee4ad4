/**
 * The iron-session password map. From config when given (a rotation map `{"2":"new","1":"old"}`
 * or one password); otherwise a random one kept beside the database, so a restart keeps phones
 * signed in and the demo needs no setup.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export type PasswordMap = Record<string, string>;

const Map = z.record(z.string().regex(/^\d+$/, "password ids are numbers"), z.string().min(32, "each password needs at least 32 characters"));

/** `dataDir` null: no folder of this machine's own to keep a made-up secret in (PostgreSQL). */
export function resolveSessionPasswords(configured: string | undefined, dataDir: string | null): PasswordMap {
  if (configured) {
    if (configured.trim().startsWith("{")) {
      let raw: unknown;
      try {
        raw = JSON.parse(configured);
      } catch {
        throw new Error("SESSION_SECRET: not valid JSON");
      }
      const parsed = Map.safeParse(raw);
      if (!parsed.success || Object.keys(parsed.data).length === 0) throw new Error('SESSION_SECRET: expected {"<id>": "<≥32 chars>", …}');
      return parsed.data;
    }
    if (configured.length < 32) throw new Error("SESSION_SECRET: needs at least 32 characters");
    return { "1": configured };
  }
  if (dataDir === null) throw new Error("SESSION_SECRET: required when the database is shared (PostgreSQL)");
  const file = path.join(dataDir, "session-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return { "1": readFileSync(file, "utf8").trim() };
}

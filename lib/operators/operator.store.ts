/**
 * Operator accounts. Passwords are stored only as scrypt hashes; account changes are audited with
 * actor "operator" (or "system" from the CLI) and never carry the password or its hash.
 */
import { z } from "zod";
import type { AuditLog } from "../audit/audit-log";
import { newId } from "../auth/secrets";
import type { Db } from "../db/open-database";
import { AppError } from "../errors/app-error";
import type { Clock } from "../time/clock";
import { SafeText } from "../text/safe-text";
import { hashPassword } from "./password-hash";
import { neutralizeText } from "../text/neutralize-text";

/** Shown on the dashboard and in `operator list`: the shared text rules first, then an email. */
export const OperatorEmailSchema = SafeText(254)
  .transform((s) => s.toLowerCase())
  .pipe(z.email());
/** Long passphrases welcome; the cap keeps one sign-in from costing unbounded work. */
export const OperatorPasswordSchema = z.string().min(12, "at least 12 characters").max(256);

export const CreateOperatorSchema = z.strictObject({ email: OperatorEmailSchema, password: OperatorPasswordSchema });
export type CreateOperatorInput = z.input<typeof CreateOperatorSchema>;

/** What may be shown about an operator: never the hash. */
export interface OperatorView {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  isDisabled: boolean;
  isLocked: boolean;
}

export function createOperatorStore(db: Db, audit: AuditLog, clock: Clock) {
  async function create(input: CreateOperatorInput, createdBy: string | null = null): Promise<OperatorView> {
    const { email, password } = CreateOperatorSchema.parse(input);
    if (await db.operator.findUnique({ where: { email } })) {
      throw new AppError("BAD_REQUEST", "operator exists", undefined, "An operator with this email already exists.");
    }
    const passwordHash = await hashPassword(password);
    const id = newId("opr");
    const now = clock.now();
    const row = await audit.write(async (tx, append) => {
      const created = await tx.operator.create({ data: { id, email, passwordHash, createdAt: now } });
      await append({
        actor: createdBy ? "operator" : "system",
        operatorId: createdBy ?? id,
        action: "operator.created",
        decision: "allow",
        details: { operator: id },
      });
      return created;
    });
    return view(row, now);
  }

  async function list(): Promise<OperatorView[]> {
    const now = clock.now();
    return (await db.operator.findMany({ orderBy: { createdAt: "asc" } })).map((row) => view(row, now));
  }

  async function findById(id: string): Promise<OperatorView | null> {
    const row = await db.operator.findUnique({ where: { id } });
    return row ? view(row, clock.now()) : null;
  }

  return { create, list, findById };
}

function view(
  row: { id: string; email: string; createdAt: Date; lastLoginAt: Date | null; disabledAt: Date | null; lockedUntil: Date | null },
  now: Date,
): OperatorView {
  return {
    id: row.id,
    email: neutralizeText(row.email),
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
    isDisabled: row.disabledAt !== null,
    isLocked: Boolean(row.lockedUntil && row.lockedUntil > now),
  };
}

export type OperatorStore = ReturnType<typeof createOperatorStore>;

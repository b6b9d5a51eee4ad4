/** Which database a `DATABASE_URL` names: the embedded SQLite file, or a shared PostgreSQL server. */
export type Dialect = "sqlite" | "postgresql";

export const POSTGRES_URL = /^postgres(ql)?:\/\//;

export function dialectOf(databaseUrl: string): Dialect {
  return POSTGRES_URL.test(databaseUrl) ? "postgresql" : "sqlite";
}

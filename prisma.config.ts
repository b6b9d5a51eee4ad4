// The Prisma CLI reads this file. The server never does: it parses its own config (lib/config)
// and applies migrations itself at start (lib/db/migrate.ts), because the CLI's native schema engine
// is not available everywhere Baton runs.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/baton.db" },
});

/** Where the end-to-end server lives; shared by the global setup and the tests. */
import path from "node:path";

export const E2E_DIR = path.resolve("test-results/e2e");
export const E2E_PORT = Number(process.env.BATON_E2E_PORT ?? 3311);
export const E2E_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DB = path.join(E2E_DIR, "baton.db");
export const E2E_LOG = path.join(E2E_DIR, "server.log");
/** A webhook receiver the e2e server may reach on loopback (listed in WEBHOOK_ALLOWED_PRIVATE_ORIGINS). */
export const E2E_WEBHOOK_ORIGIN = `http://127.0.0.1:${E2E_PORT + 1}`;

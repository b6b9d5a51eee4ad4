-- Signed webhooks for agents: where each agent's events go (secret sealed, never in clear), one row
-- per event delivery with its attempts, and how far the worker has read the audit log.

-- CreateTable
CREATE TABLE "AgentWebhook" (
    "agentId" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "sealedPreviousSecret" TEXT,
    "previousUntil" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AgentWebhook_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "handoffId" TEXT NOT NULL,
    "auditSeq" INTEGER NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastAttemptAt" DATETIME,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    CONSTRAINT "WebhookDelivery_handoffId_fkey" FOREIGN KEY ("handoffId") REFERENCES "Handoff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookCursor" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "auditSeq" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_auditSeq_key" ON "WebhookDelivery"("auditSeq");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_handoffId_idx" ON "WebhookDelivery"("handoffId");

-- The worker starts at the current end of the audit log: events from before webhooks existed are not sent.
INSERT INTO "WebhookCursor" ("id", "auditSeq") SELECT 1, COALESCE(MAX("seq"), 0) FROM "AuditEvent";

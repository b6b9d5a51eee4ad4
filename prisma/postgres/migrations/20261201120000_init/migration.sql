-- Baton's whole schema on PostgreSQL in one migration (the SQLite set in prisma/migrations grew in
-- steps; PostgreSQL starts fresh). Written as Prisma Migrate writes it for prisma/postgres/schema.prisma.

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "allowedOrigins" TEXT NOT NULL,
    "allowedIdps" TEXT NOT NULL DEFAULT '[]',
    "allowedHandOver" TEXT NOT NULL DEFAULT '[]',
    "maxTtlSeconds" INTEGER NOT NULL DEFAULT 600,
    "maxConcurrent" INTEGER NOT NULL DEFAULT 3,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentKey" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AgentKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "loginUrl" TEXT NOT NULL,
    "targetOrigin" TEXT NOT NULL,
    "targetSite" TEXT NOT NULL,
    "identityProviders" TEXT NOT NULL DEFAULT '[]',
    "handOverSites" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL,
    "endUserRef" TEXT,
    "confirmCode" TEXT NOT NULL,
    "includeStorage" BOOLEAN NOT NULL DEFAULT false,
    "successKind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "openedAt" TIMESTAMP(3),
    "approvedAt" TIMESTAMP(3),
    "liveAt" TIMESTAMP(3),
    "capturedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "deviceHash" TEXT,
    "deviceSummary" TEXT,
    "deviceIp" TEXT,
    "cookieMeta" TEXT,
    "reuseAttempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "handoffId" TEXT,
    "agentId" TEXT,
    "keyId" TEXT,
    "endUserRef" TEXT,
    "operatorId" TEXT,
    "targetOrigin" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Operator" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "Operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperatorSession" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "csrfHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "OperatorSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentWebhook" (
    "agentId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "sealedPreviousSecret" TEXT,
    "previousUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentWebhook_pkey" PRIMARY KEY ("agentId")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "handoffId" TEXT NOT NULL,
    "auditSeq" INTEGER NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookCursor" (
    "id" INTEGER NOT NULL,
    "auditSeq" INTEGER NOT NULL,

    CONSTRAINT "WebhookCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AgentKey_agentId_idx" ON "AgentKey"("agentId");

-- CreateIndex
CREATE UNIQUE INDEX "AgentKey_hash_key" ON "AgentKey"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Handoff_tokenHash_key" ON "Handoff"("tokenHash");

-- CreateIndex
CREATE INDEX "Handoff_agentId_state_idx" ON "Handoff"("agentId", "state");

-- CreateIndex
CREATE INDEX "Handoff_state_expiresAt_idx" ON "Handoff"("state", "expiresAt");

-- CreateIndex
CREATE INDEX "Handoff_createdAt_idx" ON "Handoff"("createdAt");

-- CreateIndex
CREATE INDEX "Handoff_createdAt_id_idx" ON "Handoff"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Handoff_state_createdAt_id_idx" ON "Handoff"("state", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Handoff_agentId_createdAt_id_idx" ON "Handoff"("agentId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Handoff_targetSite_createdAt_id_idx" ON "Handoff"("targetSite", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_handoffId_idx" ON "AuditEvent"("handoffId");

-- CreateIndex
CREATE INDEX "AuditEvent_agentId_idx" ON "AuditEvent"("agentId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Operator_email_key" ON "Operator"("email");

-- CreateIndex
CREATE UNIQUE INDEX "OperatorSession_tokenHash_key" ON "OperatorSession"("tokenHash");

-- CreateIndex
CREATE INDEX "OperatorSession_operatorId_idx" ON "OperatorSession"("operatorId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_auditSeq_key" ON "WebhookDelivery"("auditSeq");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_handoffId_idx" ON "WebhookDelivery"("handoffId");

-- AddForeignKey
ALTER TABLE "AgentKey" ADD CONSTRAINT "AgentKey_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperatorSession" ADD CONSTRAINT "OperatorSession_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentWebhook" ADD CONSTRAINT "AgentWebhook_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_handoffId_fkey" FOREIGN KEY ("handoffId") REFERENCES "Handoff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The webhook worker starts at the current end of the audit log (the same row the SQLite set adds).
INSERT INTO "WebhookCursor" ("id", "auditSeq") SELECT 1, COALESCE(MAX("seq"), 0) FROM "AuditEvent";

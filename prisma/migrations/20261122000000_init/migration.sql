-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "allowedOrigins" TEXT NOT NULL,
    "allowedIdps" TEXT NOT NULL DEFAULT '[]',
    "maxTtlSeconds" INTEGER NOT NULL DEFAULT 600,
    "maxConcurrent" INTEGER NOT NULL DEFAULT 3,
    "createdAt" DATETIME NOT NULL,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AgentKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "AgentKey_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "loginUrl" TEXT NOT NULL,
    "targetOrigin" TEXT NOT NULL,
    "targetSite" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "endUserRef" TEXT,
    "confirmCode" TEXT NOT NULL,
    "successKind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "openedAt" DATETIME,
    "approvedAt" DATETIME,
    "liveAt" DATETIME,
    "capturedAt" DATETIME,
    "completedAt" DATETIME,
    "endedAt" DATETIME,
    "endReason" TEXT,
    "deviceHash" TEXT,
    "deviceSummary" TEXT,
    "cookieMeta" TEXT,
    "reuseAttempts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Handoff_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
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
    "hash" TEXT NOT NULL
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
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_handoffId_idx" ON "AuditEvent"("handoffId");

-- CreateIndex
CREATE INDEX "AuditEvent_agentId_idx" ON "AuditEvent"("agentId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

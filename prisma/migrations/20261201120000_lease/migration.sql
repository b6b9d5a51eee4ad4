-- Leases for chores that one node does for all (the sweep): one row per chore, its holder and until when.

-- CreateTable
CREATE TABLE "Lease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holderId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

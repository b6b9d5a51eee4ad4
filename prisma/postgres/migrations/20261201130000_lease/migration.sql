-- Leases for chores that one node does for all (the sweep): one row per chore, its holder and until when.

-- CreateTable
CREATE TABLE "Lease" (
    "name" TEXT NOT NULL,
    "holderId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("name")
);

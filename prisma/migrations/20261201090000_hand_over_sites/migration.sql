-- Two scopes, never one list: the sites a handoff page may visit to sign in (identity providers)
-- and the further sites of the same service whose cookies are handed over with the target's.
ALTER TABLE "Agent" ADD COLUMN "allowedHandOver" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Handoff" ADD COLUMN "handOverSites" TEXT NOT NULL DEFAULT '[]';

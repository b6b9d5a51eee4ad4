-- Whether the agent asked for the target origin's storage too; the phone's consent screen says so.
ALTER TABLE "Handoff" ADD COLUMN "includeStorage" BOOLEAN NOT NULL DEFAULT false;

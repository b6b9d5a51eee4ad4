-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN "identityProviders" TEXT NOT NULL DEFAULT '[]';

-- Presence every node can see: the phone's last activity (for the idle timeout) and when the
-- agent's last socket closed (for the reconnect grace), kept on the row instead of one node's memory.
ALTER TABLE "Handoff" ADD COLUMN "lastActivityAt" TIMESTAMP(3);
ALTER TABLE "Handoff" ADD COLUMN "agentGoneAt" TIMESTAMP(3);

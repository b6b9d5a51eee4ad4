-- The claiming device's IP address, kept only when the operator sets RECORD_DEVICE_IP.
ALTER TABLE "Handoff" ADD COLUMN "deviceIp" TEXT;

/**
 * Version of the socket and stream protocol, sent in every handshake. The relay compares it with its
 * own and refuses a mismatch, saying which side is too old (`client_too_old` / `server_too_old`).
 * 2: trusted-chrome notices, sign-in progress; the `blocked` phase is gone.
 */
export const PROTOCOL_VERSION = 2;

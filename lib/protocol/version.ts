/** Version of the socket protocol, sent in every hello; both ends refuse a mismatch. */
export const PROTOCOL_VERSION = 1;

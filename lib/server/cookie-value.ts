/** One cookie's raw value from a Cookie header (Socket.IO handshakes and server components have only the header). */
export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  const value = cookieHeader
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  return value ? value : null;
}

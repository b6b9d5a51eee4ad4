import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The custom server (server.ts) loads these natively; Next must not bundle them.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "socket.io", "playwright"],
  devIndicators: false,
};

export default config;

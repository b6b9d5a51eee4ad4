/** Browser and OS family from a User-Agent: enough for an operator, never the raw string. */
export function summarizeUserAgent(ua: string | undefined): string {
  if (!ua) return "unknown device";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "other OS";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /SamsungBrowser/.test(ua)
      ? "Samsung Internet"
      : /Firefox|FxiOS/.test(ua)
        ? "Firefox"
        : /Chrome|CriOS|Chromium/.test(ua)
          ? "Chrome"
          : /Safari/.test(ua)
            ? "Safari"
            : "other browser";
  return `${browser} on ${os}`;
}

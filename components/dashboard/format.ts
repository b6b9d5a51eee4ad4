/**
 * Formatting shared by server and client components. Times are shown in UTC with a fixed
 * formatter, so what the server renders and what the browser hydrates are the same text.
 */
const time = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const dayTime = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false });
const full = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  year: "numeric",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const date = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", year: "numeric", day: "numeric", month: "short" });
const numbers = new Intl.NumberFormat("en-US");

export function formatNumber(n: number): string {
  return numbers.format(n);
}

/** "1 Dec 03:08" */
export function formatDayTime(iso: string | null): string {
  return iso ? dayTime.format(new Date(iso)) : "—";
}

/** "1 Dec 2026" */
export function formatDate(iso: string | null): string {
  return iso ? date.format(new Date(iso)) : "—";
}

/** "03:08:46" */
export function formatTime(iso: string | null): string {
  return iso ? time.format(new Date(iso)) : "—";
}

/** "1 Dec 2026, 03:08:46" */
export function formatFull(iso: string | null): string {
  return iso ? full.format(new Date(iso)) : "—";
}

/** 850 ms, 12.4 s, 3 m 05 s, 2 h 10 m */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_500) return `${(ms / 1000).toFixed(ms < 9_950 ? 1 : 0)} s`;
  // Round once, then split, so 119.6 s reads "2 m 00 s", never "1 m 60 s".
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} m`;
}

export function between(from: string | null, to: string | null): number | null {
  return from && to ? Date.parse(to) - Date.parse(from) : null;
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${(ratio * 100).toFixed(ratio >= 0.995 || ratio === 0 ? 0 : 1)}%`;
}

/** "cancelled_by_operator" → "cancelled by operator" */
export function humanize(code: string | null): string {
  return code ? code.replace(/[_.]/g, " ") : "—";
}

/** "agt_Vp0y": enough of an id to tell two agents with one name apart. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Agents by name, with a short id added where two or more share the name. */
export function agentLabels(agents: { id: string; name: string }[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const a of agents) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
  return new Map(agents.map((a) => [a.id, (counts.get(a.name) ?? 0) > 1 ? `${a.name} · ${shortId(a.id)}` : a.name]));
}

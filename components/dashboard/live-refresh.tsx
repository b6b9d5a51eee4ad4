"use client";
/**
 * Re-renders the current server page when handoffs change, at most once per interval, so a busy
 * minute costs a few refreshes rather than one per event. Optionally only for one handoff.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useHandoffChanges } from "./dashboard-context";

export function LiveRefresh({ handoffId, intervalMs = 1500 }: { handoffId?: string; intervalMs?: number }) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useHandoffChanges((summary) => {
    if (handoffId && summary.id !== handoffId) return;
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      router.refresh();
    }, intervalMs);
  });
  return null;
}

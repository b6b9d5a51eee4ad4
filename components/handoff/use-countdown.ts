"use client";
import { useEffect, useState } from "react";

/** Milliseconds left until `deadline` (ISO time), ticking once a second; null before hydration. */
export function useCountdown(deadline: string | null): number | null {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    if (!deadline) return;
    const end = Date.parse(deadline);
    const tick = () => setLeft(Math.max(0, end - Date.now()));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return left;
}

import type { Db } from "@/lib/db/client";

export interface MonitorLiveness {
  lastPassAt: Date | null;
  ageSeconds: number | null;
  thresholdSeconds: number;
  alive: boolean;
}

/** A monitor is alive when a pass finished without error within three intervals. */
export function livenessOf(lastPassAt: Date | null, now: Date, intervalSeconds: number): MonitorLiveness {
  const thresholdSeconds = 3 * intervalSeconds;
  const ageSeconds = lastPassAt ? Math.max(0, Math.round((now.getTime() - lastPassAt.getTime()) / 1000)) : null;
  return { lastPassAt, ageSeconds, thresholdSeconds, alive: ageSeconds !== null && ageSeconds <= thresholdSeconds };
}

/** Works for every role: the SQL function is security definer and reveals only a timestamp. */
export async function getLastPassAt(db: Db): Promise<Date | null> {
  const [row] = await db<{ at: Date | null }[]>`select public.monitor_last_pass() as at`;
  return row?.at ?? null;
}

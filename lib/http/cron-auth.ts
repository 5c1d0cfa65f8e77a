import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError } from "@/lib/http/api-error";

/**
 * `Authorization: Bearer <CRON_SECRET>`, compared in constant time (both sides hashed first, so not
 * even the length leaks). No configured secret means misconfigured, never open.
 */
export function assertCronAuthorized(authorization: string | null, configuredSecret: string | undefined): void {
  if (!configuredSecret) {
    throw new ApiError(500, "misconfigured", "CRON_SECRET is not configured; the monitor route refuses to run.");
  }
  const presented = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  const matches = timingSafeEqual(digest(presented), digest(configuredSecret));
  if (!presented || !matches) {
    throw new ApiError(401, "unauthorized", "Missing or wrong cron secret (Authorization: Bearer $CRON_SECRET).");
  }
}

import { describe, expect, it } from "vitest";
import { HEARTBEAT_STALE_MS, passProgress } from "@/lib/monitor/run-liveness";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("passProgress", () => {
  it("is finished once finished_at is set, however old the heartbeat", () => {
    expect(passProgress({ startedAt: ago(60_000), heartbeatAt: ago(59_000), finishedAt: ago(58_000) }, NOW)).toBe("finished");
  });

  it("is running while unfinished and beating", () => {
    expect(passProgress({ startedAt: ago(60_000), heartbeatAt: ago(2_000), finishedAt: null }, NOW)).toBe("running");
    expect(passProgress({ startedAt: ago(1_000), heartbeatAt: null, finishedAt: null }, NOW)).toBe("running");
  });

  it("is stalled when unfinished and its last beat (or start) is older than HEARTBEAT_STALE_MS", () => {
    expect(passProgress({ startedAt: ago(3_600_000), heartbeatAt: ago(HEARTBEAT_STALE_MS + 1), finishedAt: null }, NOW)).toBe("stalled");
    expect(passProgress({ startedAt: ago(3_600_000), heartbeatAt: ago(HEARTBEAT_STALE_MS), finishedAt: null }, NOW)).toBe("running");
    expect(passProgress({ startedAt: ago(HEARTBEAT_STALE_MS + 1), heartbeatAt: null, finishedAt: null }, NOW)).toBe("stalled");
  });
});

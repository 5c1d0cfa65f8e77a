import { describe, expect, it } from "vitest";
import { assessHealth, checkMonitorHealth, type MonitorHealthFacts } from "@/lib/monitor/monitor-health";

const NOW = new Date("2026-03-01T12:00:00Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const INTERVAL = 30;

function facts(overrides: Partial<MonitorHealthFacts> = {}): MonitorHealthFacts {
  return {
    lastPassAt: ago(20),
    latest: { finishedAt: ago(20), error: null, checked: 12, remaining: 0 },
    overdueChannels: 0,
    ...overrides,
  };
}

describe("monitor health", () => {
  it("is healthy while passes finish, record, and nothing is overdue", () => {
    expect(assessHealth(facts(), NOW, INTERVAL)).toEqual({
      ok: true, lastPassAt: ago(20), ageSeconds: 20, thresholdSeconds: 90, reason: null,
    });
    // Nothing due is fine: a pass that checked 0 with 0 remaining is recording all there is.
    expect(assessHealth(facts({ latest: { finishedAt: ago(5), error: null, checked: 0, remaining: 0 } }), NOW, INTERVAL).ok).toBe(true);
  });

  it("is unhealthy when no pass ran, or none finished within three intervals", () => {
    expect(assessHealth(facts({ lastPassAt: null, latest: null }), NOW, INTERVAL)).toMatchObject({
      ok: false, ageSeconds: null, reason: "no monitor pass has finished yet",
    });
    expect(assessHealth(facts({ lastPassAt: ago(91) }), NOW, INTERVAL)).toMatchObject({
      ok: false, ageSeconds: 91, reason: expect.stringContaining("the last one 91 s ago"),
    });
    expect(assessHealth(facts({ lastPassAt: ago(90) }), NOW, INTERVAL).ok).toBe(true);
  });

  it("is unhealthy when the latest pass failed or was killed, without telling the public its error", () => {
    const failed = assessHealth(facts({ latest: { finishedAt: ago(3), error: "connect ECONNREFUSED 10.0.0.5:5432", checked: 3, remaining: 0 } }), NOW, INTERVAL);
    expect(failed).toMatchObject({ ok: false, lastPassAt: ago(20), reason: expect.stringContaining("failed at 2026-03-01T11:59:57.000Z") });
    expect(failed.reason).not.toContain("10.0.0.5");
    const killed = assessHealth(facts({ latest: { finishedAt: ago(3), error: "abandoned: no heartbeat since …", checked: 0, remaining: 0 } }), NOW, INTERVAL);
    expect(killed.reason).toContain("was killed");
  });

  it("is unhealthy when passes succeed but record nothing", () => {
    expect(assessHealth(facts({ latest: { finishedAt: ago(5), error: null, checked: 0, remaining: 2001 } }), NOW, INTERVAL)).toMatchObject({
      ok: false, reason: "the last monitor pass checked no channel while 2001 were due",
    });
    expect(assessHealth(facts({ overdueChannels: 2001 }), NOW, INTERVAL)).toMatchObject({
      ok: false, reason: expect.stringContaining("2001 monitored channel(s) overdue by more than 90 s"),
    });
  });

  it("answers (unhealthy) when the database fails or does not answer", async () => {
    const log = () => {};
    const down = await checkMonitorHealth({
      readFacts: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")), now: NOW, intervalSeconds: INTERVAL, log,
    });
    expect(down).toEqual({
      ok: false, lastPassAt: null, ageSeconds: null, thresholdSeconds: 90,
      reason: "the database is unreachable: the monitor cannot record anything",
    });
    const hung = await checkMonitorHealth({
      readFacts: () => new Promise(() => {}), now: NOW, intervalSeconds: INTERVAL, timeoutMs: 50, log,
    });
    expect(hung.ok).toBe(false);
    const fine = await checkMonitorHealth({ readFacts: async () => facts(), now: NOW, intervalSeconds: INTERVAL, log });
    expect(fine.ok).toBe(true);
  });
});

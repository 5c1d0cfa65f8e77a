import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planFanOut, type FanOutInput } from "@/lib/monitor/plan-fan-out";

const input = (overrides: Partial<FanOutInput>): FanOutInput => ({
  due: 0, measuredChecksPerSecond: null, fallbackChecksPerSecond: 50, claimWindowMs: 18_000, maxWorkers: 8, ...overrides,
});

describe("planFanOut", () => {
  it("starts no worker when one invocation finishes the due channels in its window", () => {
    // 100 checks/s × 18 s × 0.8 = 1,440 per invocation.
    expect(planFanOut(input({ due: 1_440, measuredChecksPerSecond: 100 }))).toEqual({
      workers: 0, share: null, capacity: 1_440, checksPerSecond: 100, measured: true,
    });
    expect(planFanOut(input({ due: 0 })).workers).toBe(0);
  });

  it("splits what one invocation cannot finish: workers for the rest, a fair share for itself", () => {
    // 1,441 due at 1,440 per invocation: two invocations, the cron one and one worker, ~half each.
    expect(planFanOut(input({ due: 1_441, measuredChecksPerSecond: 100 }))).toMatchObject({ workers: 1, share: 721 });
    // 10,000 due: 7 invocations, so 6 workers and 1,429 for the cron invocation.
    expect(planFanOut(input({ due: 10_000, measuredChecksPerSecond: 100 }))).toMatchObject({ workers: 6, share: 1_429 });
  });

  it("never starts more than MONITOR_MAX_WORKERS, and none when it is 0", () => {
    expect(planFanOut(input({ due: 100_000, measuredChecksPerSecond: 100 }))).toMatchObject({ workers: 8, share: 11_112 });
    expect(planFanOut(input({ due: 100_000, measuredChecksPerSecond: 100, maxWorkers: 3 }))).toMatchObject({ workers: 3, share: 25_000 });
    expect(planFanOut(input({ due: 100_000, maxWorkers: 0 }))).toMatchObject({ workers: 0, share: null });
  });

  it("uses the fallback rate until a pass was measured (and ignores a measured rate of 0)", () => {
    // 50 checks/s × 18 s × 0.8 = 720.
    expect(planFanOut(input({ due: 2_000 }))).toMatchObject({ capacity: 720, measured: false, workers: 2 });
    expect(planFanOut(input({ due: 2_000, measuredChecksPerSecond: 0 }))).toMatchObject({ capacity: 720, measured: false });
  });

  it("plans at least one check per invocation when the window is gone", () => {
    expect(planFanOut(input({ due: 5, claimWindowMs: -1_000 }))).toMatchObject({ capacity: 1, workers: 4, share: 1 });
  });

  it("always covers the due channels with its invocations, or uses every worker allowed", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0.1, max: 10_000, noNaN: true }),
      fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 64 }),
      (due, rate, windowMs, maxWorkers) => {
        const plan = planFanOut(input({ due, measuredChecksPerSecond: rate, claimWindowMs: windowMs, maxWorkers }));
        expect(plan.workers).toBeGreaterThanOrEqual(0);
        expect(plan.workers).toBeLessThanOrEqual(maxWorkers);
        if (plan.workers === 0) {
          expect(plan.share).toBeNull();
          expect(due <= plan.capacity || maxWorkers === 0).toBe(true);
        } else {
          expect(plan.share! * (plan.workers + 1)).toBeGreaterThanOrEqual(due);
          expect(plan.share!).toBeLessThan(due);
          expect((plan.workers + 1) * plan.capacity >= due || plan.workers === maxWorkers).toBe(true);
        }
      },
    ));
  });
});

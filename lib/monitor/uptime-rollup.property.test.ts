import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANNEL_STATES, healthOf } from "@/lib/monitor/states";
import { accountInterval } from "@/lib/monitor/uptime-rollup";
import { transitionTime } from "@/lib/webhooks/apply-webhook-event";

/**
 * Issue 9, point 6: however the time between two accountings is cut (fast transitions, checks off the
 * whole second, hour and day boundaries, a silence starting mid-interval), the rollups add up to the
 * whole seconds between the chain's ends: nothing is lost or invented per piece.
 */

const T = Date.parse("2026-03-01T02:59:00.000Z"); // an hour and (in São Paulo) a day boundary ahead
const MAX_GAP_MS = 90_000;
const countedStates = CHANNEL_STATES.filter((state) => healthOf(state) !== "none");
const sum = (rows: { upSeconds: number; degradedSeconds: number; downSeconds: number }[]) =>
  rows.reduce((total, r) => total + r.upSeconds + r.degradedSeconds + r.downSeconds, 0);

describe("accountInterval over a chain of intervals", () => {
  it("adds up to the whole seconds between the chain's ends, in whole non-negative seconds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.array(
          fc.record({
            ms: fc.integer({ min: 1, max: MAX_GAP_MS }),
            state: fc.constantFrom(...countedStates),
            silentAfterMs: fc.option(fc.integer({ min: -MAX_GAP_MS, max: MAX_GAP_MS })),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        fc.constantFrom("America/Sao_Paulo", "UTC", "Asia/Kolkata"),
        (offset, steps, timezone) => {
          let from = T + offset;
          let hourly = 0;
          let daily = 0;
          for (const step of steps) {
            const to = from + step.ms;
            const result = accountInterval({
              channelId: "c", tenantId: "t", timezone, state: step.state, maxGapMs: MAX_GAP_MS,
              from: new Date(from), to: new Date(to),
              degradedFrom: step.silentAfterMs === null ? null : new Date(from + step.silentAfterMs),
            });
            for (const row of [...result.hourly, ...result.daily]) {
              for (const seconds of [row.upSeconds, row.degradedSeconds, row.downSeconds]) {
                expect(Number.isInteger(seconds) && seconds >= 0).toBe(true);
              }
            }
            hourly += sum(result.hourly);
            daily += sum(result.daily);
            from = to;
          }
          const whole = Math.floor(from / 1000) - Math.floor((T + offset) / 1000);
          expect(hourly).toBe(whole);
          expect(daily).toBe(whole);
          // Within a second of the time that really passed.
          expect(Math.abs(whole - (from - T - offset) / 1000)).toBeLessThan(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("counts 200 transitions 126 ms apart (25.2 s) as 25 or 26 s, where rounding each counted 0", () => {
    let from = T + 400;
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const { hourly } = accountInterval({
        channelId: "c", tenantId: "t", timezone: "UTC", state: i % 2 ? "connected" : "disconnected",
        maxGapMs: MAX_GAP_MS, from: new Date(from), to: new Date(from + 126),
      });
      total += sum(hourly);
      from += 126;
    }
    expect(total).toBe(25); // xx:00.400 → xx:25.600
  });
});

describe("transitionTime", () => {
  it("is never before now, strictly after the last transition, and never before the time accounted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 10_000 })),
        (now, since, accountedUntil) => {
          const at = transitionTime(
            { since: new Date(T + since), accountedUntil: accountedUntil === null ? null : new Date(T + accountedUntil) },
            new Date(T + now),
          ).getTime();
          expect(at).toBeGreaterThanOrEqual(T + now);
          expect(at).toBeGreaterThan(T + since);
          if (accountedUntil !== null) expect(at).toBeGreaterThanOrEqual(T + accountedUntil);
          // Only moved when it had to be.
          expect(at === T + now || at === T + since + 1 || at === T + (accountedUntil ?? -1)).toBe(true);
        },
      ),
    );
  });
});

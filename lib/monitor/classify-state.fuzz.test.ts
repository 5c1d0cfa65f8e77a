import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyError,
  classifyFailure,
  classifyReport,
  holdWhileAwaitingScan,
  type Observation,
} from "@/lib/monitor/classify-state";
import { CHANNEL_STATES, isChannelState } from "@/lib/monitor/states";
import { ProviderError, type ProviderErrorKind, type StateReport } from "@/lib/providers/types";

/**
 * Issue 9, point 8: classification is data in, verdict out. Whatever a gateway reports and whatever a
 * check throws, the verdict is one of the channel states, with a short plain reason, and classifying
 * never throws (a throw here would stop the channel's check, or with it the pass).
 */

/** A state's reason is one line next to the state (TEXT_LIMITS.reason in lib/monitor/sanitize-text.ts). */
const MAX_REASON = 300;
/** A check's detail: enough for an error message plus a body snippet. */
const MAX_DETAIL = 1000;

const GATEWAY_STATES: StateReport["state"][] = ["open", "connecting", "close", "refused"];
const ERROR_KINDS: ProviderErrorKind[] = ["misconfigured", "provider_down", "rejected", "invalid_response"];
/** What lib/net/outbound-guard.ts refuses with (RefusalReason), and anything a later version might add. */
const REFUSAL_REASONS = ["loopback", "private", "link-local", "metadata", "unspecified", "shared", "scheme", "redirect"];

const text = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 4 },
      fc.constantFrom("\u0000", "\u202e", "\ud800", "\n"),
    ),
    maxLength,
  });

const reasonCode = fc.oneof(
  fc.constantFrom(401, 402, 403, 406, 408, 411, 428, 440, 500, 503, 515),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, Number.NaN, Number.POSITIVE_INFINITY),
);

const stateReport: fc.Arbitrary<StateReport> = fc.record(
  {
    state: fc.constantFrom(...GATEWAY_STATES),
    reasonCode,
    reasonLookupError: fc.constantFrom(...ERROR_KINDS),
    neverPaired: fc.boolean(),
    latencyMs: fc.oneof(fc.nat(), fc.double()),
  },
  { requiredKeys: ["state", "latencyMs"] },
);

const providerError = fc
  .record({
    kind: fc.constantFrom(...ERROR_KINDS),
    message: text(3000),
    status: fc.option(fc.oneof(fc.integer({ min: 100, max: 599 }), fc.integer()), { nil: undefined }),
    snippet: fc.option(text(3000), { nil: undefined }),
    operation: fc.option(text(40), { nil: undefined }),
    refused: fc.option(
      fc.record(
        {
          reason: fc.oneof(fc.constantFrom(...REFUSAL_REASONS), text(40)),
          address: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant(undefined)),
        },
        { requiredKeys: ["reason"] },
      ),
      { nil: undefined },
    ),
  })
  .map(({ kind, message, ...detail }) => new ProviderError(kind, message, detail));

function expectValidVerdict(observation: Observation) {
  expect(CHANNEL_STATES).toContain(observation.state);
  expect(isChannelState(observation.state)).toBe(true);
  // A check cannot decide to pause a channel, nor leave it unknown.
  expect(["paused", "unknown"]).not.toContain(observation.state);
  expect(typeof observation.reason).toBe("string");
  expect(observation.reason.length).toBeGreaterThan(0);
  expect(observation.reason.length).toBeLessThanOrEqual(MAX_REASON);
  if (observation.detail !== undefined) expect(observation.detail.length).toBeLessThanOrEqual(MAX_DETAIL);
}

describe("the classifier, fuzzed", () => {
  it("gives any state report a valid state and a short reason", () => {
    fc.assert(
      fc.property(stateReport, (report) => {
        const observation = classifyReport(report);
        expectValidVerdict(observation);
        if (report.state === "open") expect(observation.state).toBe("connected");
      }),
      { numRuns: 1000 },
    );
  });

  it("gives any gateway error a valid state, a short reason and a bounded detail", () => {
    fc.assert(fc.property(providerError, (error) => expectValidVerdict(classifyError(error, 12))), { numRuns: 500 });
  });

  it("never throws on anything a check may throw, and never calls it connected", () => {
    const odd = [null, undefined, 0, "", Symbol("boom"), Object.create(null), { toString: null }, new Error("x".repeat(5000))];
    for (const thrown of odd) expectValidVerdict(classifyFailure(thrown, 5));
    fc.assert(
      fc.property(
        fc.oneof(providerError, fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }), text(3000).map((m) => new Error(m))),
        (thrown) => {
          const observation = classifyFailure(thrown);
          expectValidVerdict(observation);
          expect(observation.state).not.toBe("connected");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps a line that needs a scan as needs_qr only while the gateway says connecting", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHANNEL_STATES), stateReport, (previous, report) => {
        const observation = classifyReport(report);
        const held = holdWhileAwaitingScan(previous, observation);
        expectValidVerdict(held);
        if (previous !== "needs_qr" || observation.state !== "connecting") expect(held).toBe(observation);
        else expect(held.state).toBe("needs_qr");
      }),
      { numRuns: 500 },
    );
  });
});

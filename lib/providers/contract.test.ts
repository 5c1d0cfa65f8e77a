import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyFailure, classifyReport, type Observation } from "@/lib/monitor/classify-state";
import { CONTRACT_FIXTURES, type RunningFixture } from "@/lib/providers/contract/fixtures";
import { EXPECTED, SHARED_SCENARIOS } from "@/lib/providers/contract/scenarios";
import { PROVIDER_KINDS, ProviderError, type StateReport } from "@/lib/providers/types";

/**
 * Every shared scenario (contract/scenarios.ts) against every adapter and its own gateway's simulator
 * (contract/fixtures.ts): what the adapter reports, and what the monitor's classification makes of it.
 */

const TIMEOUT_MS = 1000;
/** The hang scenario's deadline: short, and it must be what decides. */
const HANG_TIMEOUT_MS = 250;

describe.each(PROVIDER_KINDS)("%s adapter", (kind) => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await CONTRACT_FIXTURES[kind].start();
  });
  afterAll(async () => {
    await fixture.stop();
  });

  it.each(SHARED_SCENARIOS)("%s", async (scenario) => {
    const expected = EXPECTED[scenario];
    // A scenario the gateway cannot be in is skipped only with its reason written down (fixtures.ts).
    if (scenario in (fixture.notApplicable ?? {})) {
      expect(fixture.notApplicable?.[scenario]?.length ?? 0).toBeGreaterThan(10);
      return;
    }
    const timeoutMs = scenario === "hang" ? HANG_TIMEOUT_MS : TIMEOUT_MS;
    const provider = fixture.provider(timeoutMs);
    const target = fixture.arrange(scenario, `contract-${kind}-${scenario}`);
    const started = performance.now();
    const outcome = await fixture.act(scenario, provider, target).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const elapsed = performance.now() - started;

    if (!expected.errorKind) {
      expect(outcome.ok, `${expected.means}: the call should succeed`).toBe(true);
      const observation: Observation = classifyReport((outcome as { value: StateReport }).value);
      expect(observation.state).toBe(expected.state);
      return;
    }
    expect(outcome.ok, `${expected.means}: the call must not pass for a success`).toBe(false);
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(ProviderError);
    const failure = error as ProviderError;
    expect(failure.kind).toBe(expected.errorKind);
    if (expected.status === null) expect(failure.detail.status).toBeUndefined();
    else if (expected.status === "5xx") expect(failure.detail.status).toBeGreaterThanOrEqual(500);
    else expect(failure.detail.status).toBe(fixture.statuses?.[scenario] ?? expected.status);
    expect(classifyFailure(failure).state).toBe(expected.state);
    if (scenario === "hang") {
      expect(failure.message).toContain(`${HANG_TIMEOUT_MS} ms`);
      expect(elapsed).toBeGreaterThanOrEqual(HANG_TIMEOUT_MS - 10);
      expect(elapsed).toBeLessThan(HANG_TIMEOUT_MS + 750);
    }
    // Whatever the gateway said, the snippet kept for people never carries the key asked with.
    expect(failure.detail.snippet ?? "").not.toContain(target.apiKey);
  });
});

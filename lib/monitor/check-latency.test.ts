import { describe, expect, it } from "vitest";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { checkChannel } from "@/lib/monitor/check-channel";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import type { ClaimedChannel } from "@/lib/monitor/types";
import { parseAllowList } from "@/lib/net/allow-list";
import { createProviders } from "@/lib/providers/registry";

/** Issue 12.3: a failure's timing is never shown as the channel's latency ("answered in 1 ms" while down). */
const NOW = new Date("2026-03-01T12:00:00.000Z");
const secretKey = generateSecretKey();

function claimed(): ClaimedChannel {
  return {
    channelId: "ch-1", tenantId: "t", timezone: "UTC", provider: "evolution", gatewayUrl: "https://evo.example.test",
    instanceName: "casa", apiKeyCiphertext: encryptSecret("key", secretKey), checkIntervalSeconds: 30,
    status: {
      state: "connected", reason: "open", since: new Date(NOW.getTime() - 3_600_000), lastCheckedAt: new Date(NOW.getTime() - 30_000),
      pendingState: null, pendingReason: null, pendingSince: null, reconnectAttempt: 0, nextReconnectAt: null, recentReconnects: [],
      qrRequestedAt: null, lastCheckRecordedAt: null, accountedUntil: new Date(NOW.getTime() - 30_000),
    },
    webhook: {
      secretCiphertext: null, events: [], enabled: true, checkedAt: NOW, lastEventAt: null, silentSince: null,
      silenceThresholdSeconds: null, mode: "off", downstream: null,
    },
  };
}

async function check(answer: () => Response) {
  const providers = createProviders({
    timeoutMs: 500,
    fetch: async () => answer(),
    outbound: { resolver: async () => [{ address: "93.184.215.14", family: 4 }], allowed: parseAllowList("") },
  });
  return checkChannel(claimed(), { providers, clock: () => NOW, random: () => 0.5, secretKey, policy: DEFAULT_RECONNECT_POLICY });
}

const latencySamples = (outcome: Awaited<ReturnType<typeof check>>) => outcome.hourly.reduce((sum, row) => sum + row.latencyCount, 0);

describe("latency of a check", () => {
  it("is the channel's latency and in its chart when the gateway answered for the session", async () => {
    const outcome = await check(() => Response.json({ instance: { instanceName: "casa", state: "open" } }));
    expect(outcome.status.latencyMs).not.toBeNull();
    expect(latencySamples(outcome)).toBe(1);
  });

  it("stays in the raw check only when the gateway failed (HTTP 503)", async () => {
    const outcome = await check(() => Response.json({ message: "down" }, { status: 503 }));
    expect(outcome.check?.errorCode).toBe("provider_down");
    expect(outcome.check?.latencyMs).toEqual(expect.any(Number));
    expect(outcome.status.latencyMs).toBeNull();
    expect(latencySamples(outcome)).toBe(0);
  });
});

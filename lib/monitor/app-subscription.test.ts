import { describe, expect, it } from "vitest";
import { checkAppSubscription, NO_WABA_NOTE } from "@/lib/monitor/app-subscription";
import type { ClaimedWebhook } from "@/lib/monitor/types";
import { WEBHOOK_CHECK_INTERVAL_MS } from "@/lib/monitor/webhook-drift";
import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { ProviderError, type ChannelTarget, type Provider, type SubscribedApp } from "@/lib/providers/types";

/** The app-subscription check's decisions, with a fake Graph: modes, due time, no WABA id, failures. */

// 12:07: a check at 12:01 is in the same quarter hour of the clock (not due again), one at 11:52 is not.
const NOW = new Date("2026-11-30T12:07:00Z");
const PLATFORM: SubscribedApp = { id: "900", name: "Plataforma", link: null };
const target: ChannelTarget = { baseUrl: "https://graph.facebook.com/v23.0", instanceName: "1061", apiKey: "EAAG-secret", wabaId: "7001" };

function webhook(over: Partial<ClaimedWebhook> = {}): ClaimedWebhook {
  return {
    secretCiphertext: null, events: [], enabled: true, checkedAt: null, lastEventAt: null, silentSince: null,
    silenceThresholdSeconds: null, mode: "adopt", downstream: null, ...over,
  };
}

/** The real adapter with Graph's two calls replaced: what it answers and what it was asked. */
function fakeGraph(apps: SubscribedApp[] | ProviderError, subscribe: ProviderError | null = null) {
  const calls: string[] = [];
  const provider: Provider = {
    ...createCloudApiProvider({ timeoutMs: 1000 }),
    async getSubscribedApps() {
      calls.push("get");
      if (apps instanceof ProviderError) throw apps;
      return apps;
    },
    async subscribeApp() {
      calls.push("post");
      if (subscribe) throw subscribe;
    },
  };
  return { provider, calls };
}

describe("checkAppSubscription", () => {
  it("an app subscribed (the platform's counts): read, nothing changed, no note", async () => {
    const { provider, calls } = fakeGraph([PLATFORM]);
    expect(await checkAppSubscription({ provider, target, webhook: webhook(), now: NOW })).toEqual({ checkedAt: NOW });
    expect(calls).toEqual(["get"]);
  });

  it("no app subscribed, in adopt and in manage: the token's app is subscribed and the repair recorded", async () => {
    for (const mode of ["adopt", "manage"] as const) {
      const { provider, calls } = fakeGraph([]);
      const check = await checkAppSubscription({ provider, target, webhook: webhook({ mode }), now: NOW });
      expect(check).toEqual({ checkedAt: NOW, restore: { outcome: "ok", detail: expect.stringMatching(/^app subscription restored/) } });
      expect(calls).toEqual(["get", "post"]);
    }
  });

  it("mode off: never read; not due yet: not read", async () => {
    const off = fakeGraph([]);
    const earlier = new Date(NOW.getTime() - 6 * 60_000);
    expect(await checkAppSubscription({ provider: off.provider, target, webhook: webhook({ mode: "off", checkedAt: earlier }), now: NOW })).toEqual({ checkedAt: earlier });
    const recent = fakeGraph([]);
    expect(await checkAppSubscription({ provider: recent.provider, target, webhook: webhook({ checkedAt: earlier }), now: NOW })).toEqual({ checkedAt: earlier });
    expect([...off.calls, ...recent.calls]).toEqual([]);
    const due = fakeGraph([PLATFORM]);
    await checkAppSubscription({ provider: due.provider, target, webhook: webhook({ checkedAt: new Date(NOW.getTime() - WEBHOOK_CHECK_INTERVAL_MS) }), now: NOW });
    expect(due.calls).toEqual(["get"]);
  });

  it("no WABA id: not checked, and the note says why (with the flag to set)", async () => {
    const { provider, calls } = fakeGraph([]);
    const check = await checkAppSubscription({ provider, target: { ...target, wabaId: undefined }, webhook: webhook(), now: NOW });
    expect(check).toEqual({ checkedAt: null, note: NO_WABA_NOTE });
    expect(NO_WABA_NOTE).toContain("--waba-id");
    expect(calls).toEqual([]);
  });

  it("the channel's webhook disabled: read, never subscribed, and said", async () => {
    const { provider, calls } = fakeGraph([]);
    const check = await checkAppSubscription({ provider, target, webhook: webhook({ enabled: false }), now: NOW });
    expect(check.restore).toBeUndefined();
    expect(check.note).toContain("disabled");
    expect(calls).toEqual(["get"]);
  });

  it("a read that fails is a note; a subscription that fails is a failed repair, with Graph's words and never the token", async () => {
    const expired = new ProviderError("misconfigured", "read the account's subscribed apps: the access token has expired (code 190)");
    const read = await checkAppSubscription({ provider: fakeGraph(expired).provider, target, webhook: webhook(), now: NOW });
    expect(read).toEqual({ checkedAt: NOW, note: expect.stringContaining("has expired") });
    const denied = new ProviderError("rejected", "subscribe the app to the account's webhooks: the access token lacks the permission (code 200)");
    const post = await checkAppSubscription({ provider: fakeGraph([], denied).provider, target, webhook: webhook(), now: NOW });
    expect(post.restore).toEqual({ outcome: "failed", detail: expect.stringContaining("code 200") });
    expect(JSON.stringify([read, post])).not.toContain("EAAG-secret");
  });

  it("a gateway without the capability is not asked", async () => {
    const plain: Provider = { ...createCloudApiProvider({ timeoutMs: 1000 }), getSubscribedApps: undefined, subscribeApp: undefined };
    expect(await checkAppSubscription({ provider: plain, target, webhook: webhook(), now: NOW })).toEqual({ checkedAt: null });
  });
});

import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Sql } from "@/lib/db/client";
import { readImportWebhooks, type ImportListing } from "@/lib/import/import-gateway";
import { planImport } from "@/lib/import/plan-import";
import { ProviderError, type ChannelTarget, type Provider, type WebhookConfig } from "@/lib/providers/types";

const tenant = { id: "00000000-0000-4000-8000-000000000001", slug: "t", name: "T" };

function listing(names: string[], existing: string[] = []): ImportListing {
  const instances = names.map((name) => ({ name, phone: null, connectionStatus: "open" as const, token: `tok-${name}`, profileName: null }));
  const plan = planImport({
    gatewayUrl: "https://gw.example.com", instances, existing: new Map(existing.map((name) => [name, null])), rules: [{ match: null, tenant }],
  });
  return { plan, tenantIds: [tenant.id], provider: "evolution", apiKey: "global-key-123", tokens: new Map(), wabaId: null };
}

function providerWith(getWebhook: (target: ChannelTarget) => Promise<WebhookConfig | null>): Provider {
  return { getWebhook } as unknown as Provider;
}

const deps = (provider: Provider) => ({ sql: undefined as unknown as Sql, provider, secretKey: "unused" });

describe("readImportWebhooks", () => {
  it("reads at most 10 webhooks at once, with the global key, only for instances to add", async () => {
    let inFlight = 0;
    let most = 0;
    const asked: ChannelTarget[] = [];
    const provider = providerWith(async (target) => {
      asked.push(target);
      most = Math.max(most, ++inFlight);
      await sleep(5);
      inFlight -= 1;
      return null;
    });
    const names = Array.from({ length: 35 }, (_, i) => `line-${String(i).padStart(2, "0")}`);
    await readImportWebhooks(deps(provider), listing(names, ["line-00"]));
    expect(most).toBe(10);
    expect(asked).toHaveLength(34);
    expect(asked.every((target) => target.apiKey === "global-key-123" && target.baseUrl === "https://gw.example.com")).toBe(true);
    expect(asked.some((target) => target.instanceName === "line-00")).toBe(false);
  });

  it("keeps origin and path only, and marks what could not be read without failing the rest", async () => {
    const webhooks: Record<string, WebhookConfig | null | Error> = {
      a: { enabled: true, url: "https://platform.example/hook?token=abc", events: [], headers: { k: "v" }, byEvents: false, base64: false },
      b: null,
      c: new ProviderError("provider_down", "getWebhook: no answer"),
      d: { enabled: true, url: "not a url ?secret=1", events: [], headers: {}, byEvents: false, base64: false },
    };
    const provider = providerWith(async ({ instanceName }) => {
      const answer = webhooks[instanceName];
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const plan = listing(Object.keys(webhooks));
    await readImportWebhooks(deps(provider), plan);
    expect(plan.plan.rows.map((row) => [row.name, row.webhookUrl, row.webhookUnreadable ?? false])).toEqual([
      ["a", "https://platform.example/hook", false],
      ["b", null, false],
      ["c", null, true],
      ["d", null, true],
    ]);
    expect(JSON.stringify(plan.plan)).not.toMatch(/token=abc|secret=1/);
  });
});

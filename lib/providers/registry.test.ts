import { describe, expect, it } from "vitest";
import { createProviders } from "@/lib/providers/registry";
import { credentialProblems, PROVIDER_TRAITS } from "@/lib/providers/traits";
import { PROVIDER_KINDS } from "@/lib/providers/types";

/** The registry drives everything, so it must say the truth: one adapter per kind, with exactly its traits' capabilities. */

const providers = createProviders({ timeoutMs: 1000 });

describe.each(PROVIDER_KINDS)("%s", (kind) => {
  const provider = providers[kind];
  const { capabilities, webhookEvents } = PROVIDER_TRAITS[kind];

  it("is registered under its own kind", () => {
    expect(provider.kind).toBe(kind);
  });

  it("has exactly the optional methods its traits declare", () => {
    expect({
      reconnect: typeof provider.restart === "function" && typeof provider.connect === "function",
      pairing: typeof provider.connect === "function",
      webhook: typeof provider.getWebhook === "function" && typeof provider.setWebhook === "function",
      importSessions: typeof provider.listInstances === "function",
      sendText: typeof provider.sendText === "function",
      appSubscription: typeof provider.getSubscribedApps === "function" && typeof provider.subscribeApp === "function",
    }).toEqual({
      reconnect: capabilities.reconnect,
      pairing: capabilities.pairing,
      webhook: capabilities.webhook !== "none",
      importSessions: capabilities.importSessions,
      sendText: capabilities.sendText,
      appSubscription: capabilities.appSubscription,
    });
  });

  it("subscribes its own webhook only to events the gateway accepts", () => {
    // A kind without Sentinela's own webhook (the Cloud API's are the Meta app's) subscribes to nothing.
    expect(webhookEvents.length > 0).toBe(capabilities.webhook !== "none");
    for (const event of webhookEvents) expect(provider.webhookEventNames).toContain(event);
  });
});

describe("credentials each kind takes", () => {
  it("refuses a flag the kind does not take, naming it, and accepts what it needs", () => {
    expect(credentialProblems("evolution", {})).toEqual([]);
    expect(credentialProblems("waha", { clientToken: "token-1234" })).toEqual([
      { field: "clientToken", problem: "refused", message: "waha channels take no --client-token" },
    ]);
    expect(credentialProblems("cloud-api", { wabaId: "1234567890", appSecret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" })).toEqual([]);
    expect(credentialProblems("cloud-api", { wabaId: "1234567890" })).toEqual([]);
    expect(credentialProblems("zapi", { clientToken: "token-1234", appSecret: "0f1e2d3c4b5a6978" })).toEqual([
      { field: "appSecret", problem: "refused", message: "zapi channels take no --app-secret" },
    ]);
    expect(credentialProblems("evolution", { wabaId: "1234567890", clientToken: "  " })).toEqual([
      { field: "wabaId", problem: "refused", message: "evolution channels take no --waba-id" },
    ]);
  });
});

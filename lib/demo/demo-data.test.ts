import { describe, expect, it } from "vitest";
import { validateChannelInput } from "@/lib/channels/create-channel";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import {
  cloudApiScenarioOf,
  demoChannelInput,
  demoCloudApiNumbers,
  demoInstances,
  demoWabaId,
  demoWahaSessions,
  demoZapiInstances,
  zapiScenarioOf,
} from "@/lib/demo/seed-demo";

/** The demo world's channels: every kind of gateway in every tenant, each a channel the app would accept. */

const URLS = {
  gatewayUrl: "http://127.0.0.1:24330", wahaUrl: "http://127.0.0.1:24331", zapiUrl: "http://127.0.0.1:24332", cloudApiUrl: "http://127.0.0.1:24333/v23.0",
};
const TENANT_ID = "00000000-0000-4000-8000-000000000001";

describe("the demo's channels", () => {
  it("every tenant has two Z-API lines (one up, one that drops and comes back) and three Cloud API numbers (available, limited, blocked)", () => {
    for (const tenant of DEMO_TENANTS) {
      const zapi = tenant.channels.filter((c) => c.provider === "zapi").map((c) => zapiScenarioOf(c.scenario));
      const cloud = tenant.channels.filter((c) => c.provider === "cloud-api").map((c) => cloudApiScenarioOf(c.scenario));
      expect(zapi, tenant.slug).toEqual(["healthy", "needs_restore"]);
      expect(cloud, tenant.slug).toEqual(["healthy", "limited", "blocked"]);
      // /channels shows 25 a page: a demo tenant fits on its first page.
      expect(tenant.channels.length, tenant.slug).toBeLessThanOrEqual(25);
    }
  });

  it("each channel is one the app accepts, with its kind's credentials, and names its own gateway instance", () => {
    const seen = new Set<string>();
    for (const tenant of DEMO_TENANTS) {
      for (const channel of tenant.channels) {
        const valid = validateChannelInput(demoChannelInput({ id: TENANT_ID, slug: tenant.slug }, channel, URLS));
        const key = `${valid.gatewayUrl} ${valid.instanceName}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    const total = DEMO_TENANTS.reduce((sum, tenant) => sum + tenant.channels.length, 0);
    expect(demoInstances().length + demoWahaSessions().length + demoZapiInstances().length + demoCloudApiNumbers().length).toBe(total);
  });

  it("a Cloud API number's id is digits from its phone, its account is its tenant's, and it shows as Graph displays it", () => {
    const numbers = demoCloudApiNumbers();
    expect(numbers).toHaveLength(9);
    expect(numbers[0]).toEqual({
      id: "105512991230014", wabaId: demoWabaId("pousada-mar-azul"), displayPhoneNumber: "+55 12 99123-0014",
      verifiedName: "Pousada Mar Azul", scenario: "healthy",
    });
    expect(new Set(numbers.map((n) => n.wabaId)).size).toBe(DEMO_TENANTS.length);
    for (const number of numbers) expect(number.id).toMatch(/^[0-9]{10,20}$/);
  });

  it("a Z-API instance is named from its tenant and line, with its phone in digits", () => {
    expect(demoZapiInstances()[0]).toEqual({ id: "pousada-mar-azul--quiosque-praia-grande", phone: "5512991230012", scenario: "healthy" });
  });
});

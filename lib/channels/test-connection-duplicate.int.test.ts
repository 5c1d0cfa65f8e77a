import { afterEach, beforeEach, expect, it } from "vitest";
import { testConnection } from "@/lib/channels/test-connection";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

forEachBackend("test connection and duplicates", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const form = (overrides: Record<string, unknown> = {}) => ({
    gatewayUrl: h.simulator.url, instanceName: "antiga", apiKey: GATEWAY_KEY, ...overrides,
  });
  const TAKEN = { status: "invalid", errors: { instanceName: "instanceName.taken" } };

  it("warns that the gateway's instance is already a channel, as saving does, whatever the URL's spelling", async () => {
    const existing = await h.addChannel("antiga", "healthy");
    h.simulator.addInstance({ name: "livre", scenario: "healthy" });
    const admin = await member(h, "admin");
    const add = { tenantId: h.tenantId };
    expect(await testConnection(actionDeps(h), admin, add, form())).toEqual(TAKEN);
    const respelled = h.simulator.url.replace("127.0.0.1", "LOCALHOST") + "/";
    expect(await testConnection(actionDeps(h), admin, add, form({ gatewayUrl: respelled }))).toEqual(TAKEN);
    expect(await testConnection(actionDeps(h), admin, add, form({ instanceName: "livre" })))
      .toMatchObject({ status: "tested", result: { state: "connected" } });

    // On edit the channel itself is no duplicate; another channel moving onto its instance is.
    expect(await testConnection(actionDeps(h), admin, { channelId: existing }, form({ apiKey: undefined })))
      .toMatchObject({ status: "tested", result: { state: "connected" } });
    const other = await h.addChannel("livre", "healthy");
    expect(await testConnection(actionDeps(h), admin, { channelId: other }, form())).toEqual(TAKEN);
  });

  it("counts another tenant's channel too (saving would hit the same unique constraint)", async () => {
    await h.addChannel("antiga", "healthy");
    const elsewhere = await insertTenant(h.sql);
    const admin = await member(h, "admin", elsewhere.id);
    expect(await testConnection(actionDeps(h), admin, { tenantId: elsewhere.id }, form())).toEqual(TAKEN);
    const viewer = await member(h, "viewer", elsewhere.id);
    expect(await testConnection(actionDeps(h), viewer, { tenantId: elsewhere.id }, form())).toEqual({ status: "forbidden" });
  });
});

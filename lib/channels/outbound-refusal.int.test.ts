import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelAsAdmin, updateChannelAsAdmin } from "@/lib/channels/manage-channel";
import { testConnection } from "@/lib/channels/test-connection";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Issue 9.2 through the channel form's actions: an admin-typed gateway URL that points at the server's
 * network or its cloud's metadata is refused on save and on "test connection", saying why. The tests'
 * GATEWAY_ALLOWED_HOSTS allows 127.0.0.1 only (vitest.config.ts), so the simulator still answers.
 */
forEachBackend("outbound guard in the channel form", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    h.simulator.addInstance({ name: "nova", scenario: "healthy" });
  });
  afterEach(async () => h.stop());

  const form = (overrides: Record<string, unknown> = {}) => ({
    gatewayUrl: h.simulator.url, instanceName: "nova", apiKey: GATEWAY_KEY, displayName: "Casa Nova", ...overrides,
  });

  it("save refuses metadata, private and loopback gateway URLs with a field error naming the kind", async () => {
    const admin = await member(h, "admin");
    const refused = async (gatewayUrl: string) =>
      (await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form({ gatewayUrl }))) as { errors?: Record<string, string> };
    expect((await refused("http://169.254.169.254/latest")).errors).toEqual({ gatewayUrl: "gatewayUrl.metadata" });
    expect((await refused("http://10.0.0.5:8080")).errors).toEqual({ gatewayUrl: "gatewayUrl.private" });
    expect((await refused("http://[::1]:8080")).errors).toEqual({ gatewayUrl: "gatewayUrl.loopback" });
    expect((await refused("http://[fe80::1]:8080")).errors).toEqual({ gatewayUrl: "gatewayUrl.linkLocal" });
    expect((await refused("http://100.64.0.1")).errors).toEqual({ gatewayUrl: "gatewayUrl.notPublic" });
    expect(await h.sql`select 1 from public.channels`).toHaveLength(0);

    const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form());
    if (created.status !== "created") throw new Error(JSON.stringify(created));
    expect(await updateChannelAsAdmin(actionDeps(h), admin, created.id, form({ gatewayUrl: "http://192.168.0.1" })))
      .toEqual({ status: "invalid", errors: { gatewayUrl: "gatewayUrl.private" } });
  });

  it("test connection says why a refused URL is not called", async () => {
    const admin = await member(h, "admin");
    const scope = { tenantId: h.tenantId };
    expect(await testConnection(actionDeps(h), admin, scope, form({ gatewayUrl: "http://169.254.169.254" }))).toEqual({
      status: "tested",
      result: { state: "misconfigured", reason: "gateway address not allowed: 169.254.169.254 (metadata)", latencyMs: expect.any(Number) },
    });
    expect(await testConnection(actionDeps(h), admin, scope, form({ gatewayUrl: "http://10.0.0.5:8080" })))
      .toMatchObject({ status: "tested", result: { state: "misconfigured", reason: "gateway address not allowed: 10.0.0.5 (private)" } });
    expect(await testConnection(actionDeps(h), admin, scope, form())).toMatchObject({ status: "tested", result: { state: "connected" } });
  });
});

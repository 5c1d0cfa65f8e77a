import { afterEach, beforeEach, expect, it } from "vitest";
import { startCloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { createChannelAsAdmin, removeChannelAsAdmin, updateChannelAsAdmin } from "@/lib/channels/manage-channel";
import { testConnection } from "@/lib/channels/test-connection";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

forEachBackend("channel management", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    h.simulator.addInstance({ name: "nova", scenario: "healthy" });
  });
  afterEach(async () => h.stop());

  const form = (overrides: Record<string, unknown> = {}) => ({
    gatewayUrl: `${h.simulator.url}/`, instanceName: "nova", apiKey: GATEWAY_KEY, displayName: "Casa Nova",
    phoneNumber: "+5512991239999", ...overrides,
  });
  const storedKey = async (id: string) => {
    const [row] = await h.sql`select api_key_ciphertext from public.channel_secrets where channel_id = ${id}`;
    return decryptSecret(row.api_key_ciphertext, h.secretKey);
  };

  it("adds a channel as an admin: sealed key, status row, checked at once", async () => {
    const admin = await member(h, "admin");
    const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form());
    if (created.status !== "created") throw new Error(JSON.stringify(created));
    const [channel] = await h.sql`select gateway_url, display_name, phone_number from public.channels where id = ${created.id}`;
    expect({ ...channel }).toEqual({ gateway_url: h.simulator.url, display_name: "Casa Nova", phone_number: "+5512991239999" });
    expect(await storedKey(created.id)).toBe(GATEWAY_KEY);
    expect((await h.status(created.id)).state).toBe("connected");

    expect(await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form({ displayName: "Outra" }))).toEqual({
      status: "invalid", errors: { instanceName: "instanceName.taken" },
    });
  });

  it("shows field errors and refuses viewers and other tenants", async () => {
    const admin = await member(h, "admin");
    expect(await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form({ gatewayUrl: "ftp://x", apiKey: "short", phoneNumber: "12" })))
      .toEqual({ status: "invalid", errors: { gatewayUrl: "gatewayUrl.invalid", apiKey: "apiKey.tooShort", phoneNumber: "phoneNumber.invalid" } });
    const viewer = await member(h, "viewer");
    expect(await createChannelAsAdmin(actionDeps(h), viewer, h.tenantId, form())).toEqual({ status: "forbidden" });
    const other = await insertTenant(h.sql);
    expect(await createChannelAsAdmin(actionDeps(h), admin, other.id, form())).toEqual({ status: "forbidden" });
    expect(await h.sql`select 1 from public.channels`).toHaveLength(0);
  });

  it("edits a channel, keeping the stored key when the field is blank", async () => {
    const admin = await member(h, "admin");
    const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form());
    if (created.status !== "created") throw new Error("not created");
    expect(await updateChannelAsAdmin(actionDeps(h), admin, created.id, form({ apiKey: undefined, displayName: "Casa Renomeada" })))
      .toEqual({ status: "updated" });
    expect(await storedKey(created.id)).toBe(GATEWAY_KEY);
    expect(await updateChannelAsAdmin(actionDeps(h), admin, created.id, form({ apiKey: "a-brand-new-key", displayName: "Casa Renomeada" }))).toEqual({ status: "updated" });
    expect(await storedKey(created.id)).toBe("a-brand-new-key");
    const viewer = await member(h, "viewer");
    expect(await updateChannelAsAdmin(actionDeps(h), viewer, created.id, form({ displayName: "Hack" }))).toEqual({ status: "forbidden" });
    const [channel] = await h.sql`select display_name from public.channels where id = ${created.id}`;
    expect(channel.display_name).toBe("Casa Renomeada");
  });

  it("keeps a Cloud API channel's app secret sealed from the form (optional; blank keeps it) and refuses one for another kind", async () => {
    const graph = await startCloudApiSimulator();
    try {
      graph.addNumber({ id: "106540352242922", token: "EAAG-form-token", wabaId: "102290129340398" });
      const admin = await member(h, "admin");
      const cloud = form({
        provider: "cloud-api", gatewayUrl: `${graph.url}/v23.0`, instanceName: "106540352242922", apiKey: "EAAG-form-token",
        wabaId: "102290129340398", appSecret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
      });
      expect(await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form({ appSecret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" })))
        .toEqual({ status: "invalid", errors: { appSecret: "appSecret.refused" } });
      const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, cloud);
      if (created.status !== "created") throw new Error(JSON.stringify(created));
      const appSecret = async () => {
        const [row] = await h.sql`select app_secret_ciphertext from public.channel_secrets where channel_id = ${created.id}`;
        return decryptSecret(row.app_secret_ciphertext, h.secretKey);
      };
      expect(await appSecret()).toBe("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
      expect(await updateChannelAsAdmin(actionDeps(h), admin, created.id, { ...cloud, apiKey: undefined, appSecret: undefined, displayName: "Oficial" }))
        .toEqual({ status: "updated" });
      expect(await appSecret()).toBe("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
      expect(await updateChannelAsAdmin(actionDeps(h), admin, created.id, { ...cloud, apiKey: undefined, appSecret: "ffeeddccbbaa99887766554433221100" }))
        .toEqual({ status: "updated" });
      expect(await appSecret()).toBe("ffeeddccbbaa99887766554433221100");
    } finally {
      await graph.stop();
    }
  });

  it("removes a channel and its history as an admin only", async () => {
    const id = await h.addChannel("velho", "healthy");
    await h.pass();
    const viewer = await member(h, "viewer");
    expect(await removeChannelAsAdmin(actionDeps(h), viewer, id)).toEqual({ status: "forbidden" });
    const admin = await member(h, "admin");
    expect(await removeChannelAsAdmin(actionDeps(h), admin, id)).toEqual({ status: "removed" });
    for (const table of ["channels", "channel_status", "channel_secrets", "channel_events", "channel_checks"]) {
      const column = table === "channels" ? "id" : "channel_id";
      expect({ table, rows: (await h.sql`select 1 from ${h.sql(`public.${table}`)} where ${h.sql(column)} = ${id}`).length })
        .toEqual({ table, rows: 0 });
    }
    expect(await removeChannelAsAdmin(actionDeps(h), admin, id)).toEqual({ status: "not_found" });
  });

  it("tests a connection with the typed key, and the stored key only against the stored gateway", async () => {
    const admin = await member(h, "admin");
    const scope = { tenantId: h.tenantId };
    expect(await testConnection(actionDeps(h), admin, scope, form())).toMatchObject({ status: "tested", result: { state: "connected" } });
    expect(await testConnection(actionDeps(h), admin, scope, form({ apiKey: "wrong-key-123" })))
      .toMatchObject({ status: "tested", result: { state: "misconfigured" } });
    const viewer = await member(h, "viewer");
    expect(await testConnection(actionDeps(h), viewer, scope, form())).toEqual({ status: "forbidden" });

    const id = await h.addChannel("antigo", "healthy");
    const edit = { channelId: id };
    expect(await testConnection(actionDeps(h), admin, edit, form({ instanceName: "antigo", apiKey: undefined })))
      .toMatchObject({ status: "tested", result: { state: "connected" } });
    expect(await testConnection(actionDeps(h), admin, edit, form({ gatewayUrl: "http://127.0.0.1:9", apiKey: undefined })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });
  });
});

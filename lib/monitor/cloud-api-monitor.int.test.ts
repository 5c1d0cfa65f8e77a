import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { SIMULATED_APP } from "@/dev/cloud-api-simulator/subscriptions";
import { createChannel } from "@/lib/channels/create-channel";
import { NO_WABA_NOTE } from "@/lib/monitor/app-subscription";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Cloud API channels in monitor passes: where Evolution's webhook is checked, the app's subscription to
 * the WhatsApp Business Account is (subscribed_apps), with the same modes: an account with no app
 * subscribed gets the token's app subscribed in adopt and manage, never in off; a channel without its
 * account id is not checked and the check says why. PostgreSQL only.
 */

const APP_URL = "https://sentinela.example";
const PLATFORM_APP = { id: "900000000000009", name: "Plataforma", link: "https://platform.example/" };

describe("Cloud API channels in monitor passes", () => {
  let db: OpenDatabase;
  let h: Harness;
  let graph: CloudApiSimulator;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
    graph = await startCloudApiSimulator();
  });
  afterAll(async () => {
    await graph?.stop();
    await h?.stop();
    await db?.close();
  });

  async function addNumber(id: string, wabaId: string, mode: "adopt" | "manage" | "off" = "adopt"): Promise<string> {
    const token = `${id}-EAAG-token`;
    graph.addNumber({ id, token, wabaId });
    const channel = await createChannel(
      db.sql,
      { tenantId: h.tenantId, provider: "cloud-api", gatewayUrl: `${graph.url}/v23.0`, instanceName: id, apiKey: token, wabaId, displayName: id },
      h.secretKey,
    );
    await db.sql`update public.channels set webhook_mode = ${mode} where id = ${channel.id}`;
    await db.sql`update public.channel_status set next_check_at = ${h.clock.now}, since = ${h.clock.now} where channel_id = ${channel.id}`;
    return channel.id;
  }

  const restores = (channelId: string) => h.sql<{ outcome: string; detail: string }[]>`
    select outcome, detail from public.channel_actions where channel_id = ${channelId} and kind = 'webhook_restore' order by id`;

  it("subscribes the token's app to an account with no app subscribed (adopt and manage), once, and leaves mode off alone", async () => {
    const adopt = await addNumber("1001", "81001", "adopt");
    const manage = await addNumber("1002", "81002", "manage");
    const off = await addNumber("1003", "81003", "off");
    for (const waba of ["81001", "81002", "81003"]) graph.subscriptions.setApps(waba, []);
    await h.pass({ all: true }, { webhookBaseUrl: APP_URL });
    for (const id of [adopt, manage, off]) expect((await h.status(id)).state).toBe("connected");
    expect(graph.subscriptions.state("81001").apps).toEqual([SIMULATED_APP]);
    expect(graph.subscriptions.state("81002").apps).toEqual([SIMULATED_APP]);
    expect(graph.subscriptions.state("81003")).toEqual({ apps: [], calls: 0, subscribes: 0 });
    expect(await restores(adopt)).toEqual([{ outcome: "ok", detail: expect.stringMatching(/^app subscription restored/) }]);
    expect(await restores(off)).toEqual([]);
    expect(JSON.stringify(await restores(adopt))).not.toContain("EAAG-token");

    // Read again only when due (every 15 minutes), and an app found there is left as it is.
    graph.subscriptions.setApps("81001", [PLATFORM_APP]);
    h.clock.advance(60_000);
    await h.pass({ all: true });
    expect(graph.subscriptions.state("81001").calls).toBe(2);
    h.clock.advance(15 * 60_000);
    await h.pass({ all: true });
    expect(graph.subscriptions.state("81001")).toMatchObject({ apps: [PLATFORM_APP], calls: 3, subscribes: 1 });
    expect(await restores(adopt)).toHaveLength(1);
  });

  it("a subscription Graph refuses is a failed repair with Graph's words; a list it will not show is a note; the line's state is its health's", async () => {
    const id = await addNumber("1004", "81004");
    graph.subscriptions.setApps("81004", []);
    graph.subscriptions.setScenario("81004", "read_only");
    await h.pass({ all: true });
    expect((await h.status(id)).state).toBe("connected");
    expect(await restores(id)).toEqual([{ outcome: "failed", detail: expect.stringContaining("code 200") }]);
    expect(await h.actions(id)).toEqual([{ kind: "webhook_restore", outcome: "failed", trigger: "monitor" }]);

    const hidden = await addNumber("1006", "81006");
    graph.subscriptions.setScenario("81006", "no_permission");
    await h.pass({ all: true });
    expect((await h.status(hidden)).state).toBe("connected");
    expect(await restores(hidden)).toEqual([]);
    const [check] = await h.sql<{ detail: string }[]>`
      select detail from public.channel_checks where channel_id = ${hidden} order by checked_at desc limit 1`;
    expect(check.detail).toMatch(/app subscription not checked: rejected: .*code 200/);
  });

  it("a channel without its WABA id: the subscription is not checked, and the check's detail says why", async () => {
    const id = await addNumber("1005", "81005");
    graph.subscriptions.setApps("81005", []);
    await db.sql`update public.channels set waba_id = null where id = ${id}`;
    await h.pass({ all: true });
    expect((await h.status(id)).state).toBe("connected");
    expect(graph.subscriptions.state("81005")).toEqual({ apps: [], calls: 0, subscribes: 0 });
    const [check] = await h.sql<{ detail: string }[]>`
      select detail from public.channel_checks where channel_id = ${id} order by checked_at desc limit 1`;
    expect(check.detail).toContain(NO_WABA_NOTE);
    expect(await restores(id)).toEqual([]);
  });
});

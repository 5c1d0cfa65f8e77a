import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * The claim picks among a few times `limit` stalest candidates (lib/db/monitor-store.ts claimFrom). When
 * others hold every candidate, or took them since the claim's snapshot, it must still claim what is free
 * elsewhere, and never a channel someone else took. PostgreSQL only: a second connection holds the rows.
 */
describe("the claim's candidates", () => {
  let db: OpenDatabase;
  let h: Harness;
  const ids: string[] = [];

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
    for (let i = 0; i < 30; i++) ids.push(await h.addChannel(`cand-${i}`, "healthy"));
  });
  afterAll(async () => {
    await h?.stop();
    await db?.close();
  });
  beforeEach(async () => {
    await h.sql`update public.channel_schedule set lease_owner = null, last_checked_at = null, next_check_at = ${h.clock.now}`;
    await h.sql`update public.channels set monitoring_enabled = true`;
  });

  /** The stalest first, as the claim orders them: never checked, then by id. */
  const stalest = async (n: number) =>
    (await h.sql<{ id: string }[]>`select channel_id as id from public.channel_schedule order by channel_id limit ${n}`).map((r) => r.id);

  it("claims past its candidates when another transaction holds all of them", async () => {
    // limit 2: 8 candidates. Another pass holds the 10 stalest rows, uncommitted.
    const held = await stalest(10);
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = h.sql.begin(async (tx) => {
      await tx`select 1 from public.channel_schedule where channel_id = any(${held}::uuid[]) for update`;
      locked();
      await holding;
    });
    await isLocked;
    try {
      const runId = await h.store.startRun("cron", h.clock.now);
      const claimed = await h.store.claimChannels({ runId, now: h.clock.now, passStartedAt: h.clock.now, limit: 2, all: false });
      expect(claimed).toHaveLength(2);
      expect(claimed.filter((c) => held.includes(c.channelId))).toEqual([]);
    } finally {
      release();
      await holder;
    }
  });

  it("never claims a channel another pass claimed and committed, and paused channels never crowd out due ones", async () => {
    // The 20 stalest are paused: the candidates are the monitored ones only.
    const paused = await stalest(20);
    await h.sql`update public.channels set monitoring_enabled = false where id = any(${paused}::uuid[])`;
    const first = await h.store.startRun("cron", h.clock.now);
    const a = await h.store.claimChannels({ runId: first, now: h.clock.now, passStartedAt: h.clock.now, limit: 4, all: false });
    const second = await h.store.startRun("cron", h.clock.now);
    const b = await h.store.claimChannels({ runId: second, now: h.clock.now, passStartedAt: h.clock.now, limit: 100, all: false });
    const third = await h.store.startRun("cron", h.clock.now);
    const c = await h.store.claimChannels({ runId: third, now: h.clock.now, passStartedAt: h.clock.now, limit: 100, all: false });
    const all = [...a, ...b, ...c].map((x) => x.channelId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(ids.filter((id) => !paused.includes(id)).sort());
    expect(c).toEqual([]);
  });
});

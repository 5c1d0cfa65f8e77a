import { describe, expect, it, vi } from "vitest";
import { runFanOutPass, type FanOutDeps, type FanOutOptions } from "@/lib/monitor/fan-out";
import type { PassSummary } from "@/lib/monitor/types";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const OPTIONS: FanOutOptions = { budgetMs: 50_000, claimWindowMs: 18_000, maxWorkers: 8, fallbackChecksPerSecond: 50 };

const summary = (overrides: Partial<PassSummary>): PassSummary => ({
  ok: true, runId: "run", checked: 0, transitions: 0, reconnects: 0, failed: 0, durationMs: 10, remaining: 0, ...overrides,
});

/** A fake deployment: `due` channels, a measured rate, workers answering as `worker(i)` says. */
function deployment(input: {
  due: number; rate: number | null; remainingAfter?: number;
  worker?: (index: number) => Promise<PassSummary>;
}) {
  let now = NOW.getTime();
  const counts: Date[][] = [];
  const deps: FanOutDeps & { runPass: ReturnType<typeof vi.fn>; callWorker: ReturnType<typeof vi.fn> } = {
    clock: () => new Date(now),
    countDue: vi.fn(async (at: Date, since: Date) => {
      counts.push([at, since]);
      return counts.length === 1 ? input.due : (input.remainingAfter ?? 0);
    }),
    measuredRate: async () => input.rate,
    runPass: vi.fn(async ({ limit }: { limit?: number }) => {
      now += 1_000;
      return summary({ runId: "own", checked: Math.min(limit ?? input.due, input.due), transitions: 2, remaining: 99 });
    }),
    callWorker: vi.fn(input.worker ?? (async (index: number) => summary({ runId: `w${index}`, checked: 100, failed: 1 }))),
    log: () => {},
  };
  return { deps, counts };
}

describe("runFanOutPass", () => {
  it("runs one plain pass, answering its summary unchanged, when one invocation suffices", async () => {
    const { deps } = deployment({ due: 500, rate: 100 });
    const result = await runFanOutPass(deps, OPTIONS);
    expect(result).toEqual(summary({ runId: "own", checked: 500, transitions: 2, remaining: 99 }));
    expect(deps.callWorker).not.toHaveBeenCalled();
    expect(deps.runPass).toHaveBeenCalledWith({ budgetMs: 50_000 });
  });

  it("starts the planned workers, checks only its own share, and answers for all of them", async () => {
    // 100 checks/s × 18 s × 0.8 = 1,440 per invocation; 5,000 due → 4 invocations: 3 workers, 1,250 each.
    const { deps, counts } = deployment({ due: 5_000, rate: 100, remainingAfter: 7 });
    const result = await runFanOutPass(deps, OPTIONS);
    expect(deps.callWorker).toHaveBeenCalledTimes(3);
    expect(deps.runPass).toHaveBeenCalledWith({ limit: 1_250, budgetMs: 50_000, afterWrites: false });
    expect(result).toMatchObject({
      ok: true, runId: "own", checked: 1_250 + 300, transitions: 2, failed: 3, reconnects: 0, remaining: 7, durationMs: 1_000,
      workers: {
        started: 3, answered: 3, errors: [], runIds: ["w0", "w1", "w2"],
        plan: { due: 5_000, checksPerSecond: 100, measured: true, capacity: 1_440, share: 1_250 },
      },
    });
    // The backlog is counted after everyone finished, against when the pass started.
    expect(counts[1]).toEqual([new Date(NOW.getTime() + 1_000), NOW]);
  });

  it("runs the incident step once, on its own run, after every worker answered; never without fan-out", async () => {
    const order: string[] = [];
    const { deps } = deployment({
      due: 5_000, rate: 100,
      worker: async (index) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push(`worker ${index}`);
        return summary({ runId: `w${index}` });
      },
    });
    deps.afterAll = vi.fn(async (runId: string) => {
      order.push(`after all ${runId}`);
    });
    await runFanOutPass(deps, OPTIONS);
    expect(order).toEqual(["worker 0", "worker 1", "worker 2", "after all own"]);

    const small = deployment({ due: 10, rate: 100 }).deps;
    small.afterAll = vi.fn(async () => {});
    await runFanOutPass(small, OPTIONS);
    expect(small.afterAll).not.toHaveBeenCalled();
    expect(small.runPass).toHaveBeenCalledWith({ budgetMs: 50_000 });
  });

  it("answers even when the incident step after the workers fails", async () => {
    const { deps } = deployment({ due: 5_000, rate: 100 });
    deps.afterAll = async () => {
      throw new Error("lock timeout");
    };
    await expect(runFanOutPass(deps, OPTIONS)).resolves.toMatchObject({ ok: true, runId: "own" });
  });

  it("uses the fallback rate when no pass was measured yet", async () => {
    const { deps } = deployment({ due: 1_000, rate: null });
    const result = await runFanOutPass(deps, OPTIONS);
    // 50 checks/s × 18 s × 0.8 = 720: two invocations.
    expect(result.workers).toMatchObject({ started: 1, plan: { measured: false, capacity: 720, share: 500 } });
  });

  it("never starts more than MONITOR_MAX_WORKERS", async () => {
    const { deps } = deployment({ due: 1_000_000, rate: 100 });
    await runFanOutPass(deps, { ...OPTIONS, maxWorkers: 2 });
    expect(deps.callWorker).toHaveBeenCalledTimes(2);
  });

  it("reports a worker that failed or did not answer, and still answers with what the others did", async () => {
    const { deps } = deployment({
      due: 5_000, rate: 100, remainingAfter: 1_250,
      worker: async (index) => {
        if (index === 1) throw new Error("no answer within 55000 ms");
        return summary({ runId: `w${index}`, checked: 1_250 });
      },
    });
    const result = await runFanOutPass(deps, OPTIONS);
    expect(result).toMatchObject({
      checked: 3 * 1_250, remaining: 1_250,
      workers: { started: 3, answered: 2, errors: ["worker 2: no answer within 55000 ms"], runIds: ["w0", "w2"] },
    });
  });

  it("fails when its own pass fails, but only after every worker settled", async () => {
    let settled = 0;
    const { deps } = deployment({
      due: 5_000, rate: 100,
      worker: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        settled++;
        return summary({});
      },
    });
    deps.runPass.mockRejectedValueOnce(new Error("database is gone"));
    await expect(runFanOutPass(deps, OPTIONS)).rejects.toThrow("database is gone");
    expect(settled).toBe(3);
  });

  it("falls back to the largest backlog a pass reported when the final count fails", async () => {
    const { deps } = deployment({ due: 5_000, rate: 100, worker: async () => summary({ remaining: 120 }) });
    vi.mocked(deps.countDue).mockResolvedValueOnce(5_000).mockRejectedValueOnce(new Error("gone"));
    expect((await runFanOutPass(deps, OPTIONS)).remaining).toBe(120);
  });
});

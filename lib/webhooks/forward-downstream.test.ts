import { describe, expect, it } from "vitest";
import { describeDownstream, forwardDownstream } from "@/lib/webhooks/forward-downstream";

const job = { channelId: "c1", url: "https://platform.example/hook?token=x", body: '{"event":"messages.upsert"}' };

function scripted(answers: (number | Error)[]) {
  const calls: RequestInit[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    calls.push(init);
    const next = answers.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response("", { status: next });
  }) as typeof globalThis.fetch;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);
  return { calls, sleeps, options: { attempts: 4, baseDelayMs: 500, timeoutMs: 1000, fetch, sleep } };
}

describe("forwardDownstream", () => {
  it("retries failures and 5xx with exponential backoff, sending the body unchanged", async () => {
    const { calls, sleeps, options } = scripted([new Error("ECONNREFUSED"), 503, 200]);
    expect(await forwardDownstream(job, options)).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(sleeps).toEqual([500, 1000]);
    expect(calls.every((call) => call.body === job.body && call.method === "POST")).toBe(true);
    expect(calls[0].headers).toMatchObject({ "content-type": "application/json", "x-sentinela-channel-id": "c1" });
  });

  it("does not retry a 4xx that will not change, and gives up after the last attempt", async () => {
    expect(await forwardDownstream(job, scripted([404]).options)).toEqual({ delivered: false, attempts: 1, status: 404 });
    const down = scripted([500, 500, 500, 500, 200]);
    expect(await forwardDownstream(job, down.options)).toEqual({ delivered: false, attempts: 4, status: 500 });
    expect(down.sleeps).toEqual([500, 1000, 2000]);
  });

  it("logs where it forwarded without the query string", () => {
    expect(describeDownstream(job.url)).toBe("https://platform.example/hook");
  });
});

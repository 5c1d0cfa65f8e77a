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
  // platform.example resolves to a public address without DNS.
  const outbound = { resolver: async () => [{ address: "93.184.215.14", family: 4 as const }] };
  return { calls, sleeps, options: { attempts: 4, baseDelayMs: 500, timeoutMs: 1000, fetch, sleep, outbound } };
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

  it("a downstream URL the outbound guard refuses is never fetched nor retried", async () => {
    const { calls, options } = scripted([200]);
    const internal = { ...job, url: "http://169.254.169.254/latest/meta-data?token=x" };
    const result = await forwardDownstream(internal, { ...options, outbound: {} });
    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect(result.error).toBe("169.254.169.254 is a cloud metadata address; only an entry naming exactly this address in GATEWAY_ALLOWED_HOSTS allows it");
    expect(calls).toHaveLength(0);
    const privateName = await forwardDownstream(job, { ...options, outbound: { resolver: async () => [{ address: "10.1.1.1", family: 4 }] } });
    expect(privateName).toMatchObject({ delivered: false, attempts: 1, error: expect.stringContaining("platform.example resolves to 10.1.1.1") });
    expect(calls).toHaveLength(0);
  });

  it("logs where it forwarded without the query string", () => {
    expect(describeDownstream(job.url)).toBe("https://platform.example/hook");
  });
});

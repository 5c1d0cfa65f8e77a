import { describe, expect, it } from "vitest";
import { forwardDownstream, forwardHeaders } from "@/lib/webhooks/forward-downstream";

const body = new TextEncoder().encode('{"event":"messages.upsert"}');
const job = { url: "https://platform.example/hook?token=x", headers: { "X-Platform-Key": "k-123" }, body };

function scripted(answers: (number | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
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
  it("sends the same bytes with the downstream's own headers and no header of ours, retrying failures and 5xx", async () => {
    const { calls, sleeps, options } = scripted([new Error("ECONNREFUSED"), 503, 200]);
    expect(await forwardDownstream(job, options)).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(sleeps).toEqual([500, 1000]);
    for (const { url, init } of calls) {
      expect(url).toBe(job.url);
      expect(init.method).toBe("POST");
      expect(Buffer.from(init.body as Uint8Array).equals(Buffer.from(body))).toBe(true);
      expect(init.headers).toEqual({ "content-type": "application/json", "X-Platform-Key": "k-123" });
    }
  });

  it("keeps the platform's own content-type instead of adding a second one", () => {
    expect(forwardHeaders({ "Content-Type": "application/json; charset=utf-8" })).toEqual({ "Content-Type": "application/json; charset=utf-8" });
  });

  it("does not retry a 4xx the gateway would not retry, and gives up after the last attempt", async () => {
    expect(await forwardDownstream(job, scripted([404]).options)).toEqual({ delivered: false, attempts: 1, status: 404, error: "HTTP 404" });
    const down = scripted([500, 500, 500, 500, 200]);
    expect(await forwardDownstream(job, down.options)).toEqual({ delivered: false, attempts: 4, status: 500, error: "HTTP 500" });
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
});

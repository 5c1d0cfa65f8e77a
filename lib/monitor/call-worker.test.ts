import { describe, expect, it, vi } from "vitest";
import { workerCaller } from "@/lib/monitor/call-worker";

const SUMMARY = { ok: true, runId: "r1", checked: 3, transitions: 1, reconnects: 0, failed: 0, durationMs: 12, remaining: 0 };
const SECRET = "a-cron-secret-of-some-length";

function caller(answer: () => Promise<Response>, timeoutMs = 1_000) {
  const fetch = vi.fn<typeof globalThis.fetch>(() => answer());
  return { fetch, call: workerCaller({ baseUrl: "https://sentinela.example.com/", secret: SECRET, timeoutMs, fetch }) };
}

describe("workerCaller", () => {
  it("POSTs the worker route on the base URL with the cron secret, never following a redirect", async () => {
    const { fetch, call } = caller(async () => Response.json(SUMMARY));
    await expect(call()).resolves.toEqual(SUMMARY);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe("https://sentinela.example.com/api/cron/monitor/worker");
    expect(init).toMatchObject({ method: "POST", redirect: "error", headers: { authorization: `Bearer ${SECRET}` } });
  });

  it("rejects an error status, naming it and the error code", async () => {
    const { call } = caller(async () => Response.json({ error: { code: "unauthorized", message: "no" } }, { status: 401 }));
    await expect(call()).rejects.toThrow("HTTP 401 unauthorized");
  });

  it("rejects a 200 that is not a pass summary", async () => {
    const { call } = caller(async () => new Response("<html>login</html>", { status: 200 }));
    await expect(call()).rejects.toThrow("HTTP 200 without a pass summary");
    const { call: partial } = caller(async () => Response.json({ ok: true, runId: "x" }));
    await expect(partial()).rejects.toThrow("without a pass summary");
  });

  it("rejects when no answer comes within its timeout", async () => {
    const { call } = caller(
      () => new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error("aborted"), { name: "TimeoutError" })), 5)),
      50,
    );
    await expect(call()).rejects.toThrow("no answer within 50 ms");
  });

  it("rejects an unreachable deployment with the network error's code", async () => {
    const { call } = caller(async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    });
    await expect(call()).rejects.toThrow("unreachable (ECONNREFUSED)");
  });
});

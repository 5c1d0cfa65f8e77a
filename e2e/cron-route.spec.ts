import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";

test.describe("the cron route", () => {
  test("refuses a missing or wrong secret with 401 JSON", async ({ request }) => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong-secret-wrong-secret" }, { authorization: E2E.cronSecret }];
    for (const headers of attempts) {
      const response = await request.get("/api/cron/monitor", { headers });
      expect(response.status()).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  test("runs a pass with the right secret, GET and POST alike", async ({ request }) => {
    for (const method of ["get", "post"] as const) {
      const response = await request[method]("/api/cron/monitor", { headers: { authorization: `Bearer ${E2E.cronSecret}` } });
      expect(response.status()).toBe(200);
      const body = await response.json();
      expect(Object.keys(body).sort()).toEqual(
        ["checked", "durationMs", "failed", "ok", "reconnects", "remaining", "runId", "transitions"].sort(),
      );
      expect(body.ok).toBe(true);
    }
  });

  test("health says when the last pass ran", async ({ request }) => {
    await request.post("/api/cron/monitor", { headers: { authorization: `Bearer ${E2E.cronSecret}` } });
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(new Date(body.lastPassAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/sign-in", "/api/health"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  }
});

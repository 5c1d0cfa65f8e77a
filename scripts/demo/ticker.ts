/**
 * The demo's scheduler: calls the cron route with the secret every `intervalMs`, as Vercel Cron or
 * pg_cron would in production. A tick that is still running when the next is due is skipped.
 */
export function startTicker(options: { url: string; secret: string; intervalMs: number; log: (line: string) => void }) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const response = await fetch(options.url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.secret}` },
        signal: AbortSignal.timeout(120_000),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.ok) {
        options.log(
          `ticker: pass checked ${body.checked}, transitions ${body.transitions}, reconnects ${body.reconnects}, ` +
            `failed ${body.failed}, ${body.durationMs} ms`,
        );
      } else {
        options.log(`ticker: cron route answered ${response.status} ${JSON.stringify(body)}`);
      }
    } catch (error) {
      options.log(`ticker: cron route unreachable (${error instanceof Error ? error.message : error})`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}

import { cronRoute } from "@/lib/http/cron-route";
import { runCronPass } from "@/lib/monitor-runtime";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// The pass stops claiming work 10 s before the platform would kill the function; past what one
// invocation can check, it fans out to /api/cron/monitor/worker (lib/monitor/fan-out.ts).
const handler = cronRoute(({ budgetMs, origin }) => runCronPass({ budgetMs, origin }), {
  budgetMs: (maxDuration - 10) * 1000,
});

export const GET = handler;
export const POST = handler;

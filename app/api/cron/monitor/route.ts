import { cronRoute } from "@/lib/http/cron-route";
import { runConfiguredPass } from "@/lib/monitor-runtime";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// The pass stops claiming work 10 s before the platform would kill the function.
const handler = cronRoute(({ budgetMs }) => runConfiguredPass({ trigger: "cron", budgetMs }), {
  budgetMs: (maxDuration - 10) * 1000,
});

export const GET = handler;
export const POST = handler;

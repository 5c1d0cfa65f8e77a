import { cronRoute } from "@/lib/http/cron-route";
import { runConfiguredPass } from "@/lib/monitor-runtime";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// One worker's share of a fanned-out pass: claims like any pass until nothing is due or its budget ends;
// never fans out itself, and leaves the incident step to the cron invocation that started it.
const handler = cronRoute(({ budgetMs }) => runConfiguredPass({ trigger: "cron", budgetMs, afterWrites: false }), {
  budgetMs: (maxDuration - 10) * 1000,
});

export const POST = handler;

import { runAlertsCron } from "@/lib/alerts/runtime";
import { cronRoute } from "@/lib/http/cron-route";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// Sends due alerts on demand (every monitor pass sends them too); no send starts in the last 10 s.
const handler = cronRoute(({ budgetMs }) => runAlertsCron(budgetMs), { budgetMs: (maxDuration - 10) * 1000 });

export const POST = handler;

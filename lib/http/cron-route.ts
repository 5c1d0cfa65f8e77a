import { env, EnvError } from "@/lib/env";
import { assertCronAuthorized } from "@/lib/http/cron-auth";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";

/**
 * The one wrapper every cron route goes through: authenticate, run the job, answer JSON. The job gets
 * the route's time budget and the origin the request reached (where a fanned-out pass calls its
 * workers when APP_URL is unset); typed errors map to their HTTP status.
 */
export function cronRoute(job: (input: { budgetMs: number; origin: string }) => Promise<object>, options: { budgetMs: number }) {
  return async function handle(request: Request): Promise<Response> {
    try {
      let secret: string | undefined;
      try {
        secret = env().CRON_SECRET;
      } catch (error) {
        if (error instanceof EnvError) return errorResponse(500, "misconfigured", error.message);
        throw error;
      }
      assertCronAuthorized(request.headers.get("authorization"), secret);
      const result = await job({ budgetMs: options.budgetMs, origin: new URL(request.url).origin });
      return Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

import type { Sql } from "@/lib/db/client";
import type { ReconnectPolicy } from "@/lib/monitor/reconnect-policy";
import type { Provider, ProviderKind } from "@/lib/providers/types";

/**
 * What a person's action on a channel needs, injected so tests drive it with a fake clock and the
 * simulator. `sql` is the pool: statements made for the user run through runAsUser(sql, claims, …) so
 * RLS decides; decrypting the gateway key and writing the monitor's own tables use it directly (the
 * service path), and only after the user's transaction has shown they may act.
 */
export interface ChannelActionDeps {
  sql: Sql;
  providers: Record<ProviderKind, Provider>;
  clock: () => Date;
  secretKey: string;
  random?: () => number;
  policy?: ReconnectPolicy;
}

/** Why an action did not run, as the caller shows it. */
export type Refusal =
  | { status: "not_found" }
  | { status: "forbidden" }
  | { status: "rate_limited"; retryAfterSeconds: number };

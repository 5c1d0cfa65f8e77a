import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../evolution-simulator/http-io";

/**
 * The apps subscribed to each WhatsApp Business Account's webhooks, as Graph v23.0 keeps them:
 * `GET /v23.0/{waba-id}/subscribed_apps` → `{"data":[{"whatsapp_business_api_data":{"id","link","name"}}]}`;
 * `POST` on the same edge subscribes the token's app (SIMULATED_APP), keeps the others, and answers
 * `{"success":true}` (twice is fine). Errors as Graph's: code 100 (HTTP 400) for an account the token
 * cannot read (no number of it is read with that token), 190 (HTTP 401) for a token Graph does not know
 * or, with the account scenario `expired_token`, one that expired (subcode 463), and 200 (HTTP 403,
 * "(#200) Permissions error") with `no_permission` (a token without whatsapp_business_management), or
 * on POST only with `read_only` (a token that may read the account but not manage it).
 * A new account starts with the simulated app subscribed, as one set up in Meta's dashboard is.
 */

export type AccountScenario = "healthy" | "expired_token" | "no_permission" | "read_only";

export interface SubscribedAppData {
  id: string;
  name: string;
  link: string;
}

/** The app the simulator's access tokens belong to (the APP entity of its health_status). */
export const SIMULATED_APP: SubscribedAppData = { id: "200000000000002", name: "Sentinela", link: "https://sentinela.example/" };

interface Account {
  apps: SubscribedAppData[];
  scenario: AccountScenario;
  calls: number;
  subscribes: number;
}

export const SUBSCRIBED_APPS_PATH = /^\/v23\.0\/([^/]+)\/subscribed_apps$/;

function graphError(res: ServerResponse, status: number, code: number, message: string, subcode?: number): void {
  sendJson(res, status, {
    error: { message, type: code === 190 ? "OAuthException" : "GraphMethodException", code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEfGhIjK" },
  });
}

export class CloudSubscriptions {
  private readonly accounts = new Map<string, Account>();

  private of(wabaId: string): Account {
    let account = this.accounts.get(wabaId);
    if (!account) {
      account = { apps: [{ ...SIMULATED_APP }], scenario: "healthy", calls: 0, subscribes: 0 };
      this.accounts.set(wabaId, account);
    }
    return account;
  }

  /** Replaces the apps subscribed to the account's webhooks ([] : none, Meta sends its events to nobody). */
  setApps(wabaId: string, apps: SubscribedAppData[]): void {
    this.of(wabaId).apps = apps.map((app) => ({ ...app }));
  }

  setScenario(wabaId: string, scenario: AccountScenario): void {
    this.of(wabaId).scenario = scenario;
  }

  /** The apps subscribed now, and the subscribed_apps requests (all, and POSTs) the account answered. */
  state(wabaId: string): { apps: SubscribedAppData[]; calls: number; subscribes: number } {
    const account = this.of(wabaId);
    return { apps: account.apps.map((app) => ({ ...app })), calls: account.calls, subscribes: account.subscribes };
  }

  /**
   * Answers a request on a subscribed_apps edge; false when the path is not one. `canRead(token, wabaId)`:
   * the token is known to Graph at all (null) / may read that account (true) / may not (false).
   */
  handle(req: IncomingMessage, res: ServerResponse, canRead: (token: string, wabaId: string) => boolean | null): boolean {
    const match = SUBSCRIBED_APPS_PATH.exec(new URL(req.url ?? "/", "http://simulator").pathname);
    if (!match) return false;
    const wabaId = decodeURIComponent(match[1]);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!auth) {
      graphError(res, 400, 2500, "An active access token must be used to query information about the current user.");
      return true;
    }
    const readable = canRead(auth[1], wabaId);
    if (readable === null) {
      graphError(res, 401, 190, "Invalid OAuth access token - Cannot parse access token");
      return true;
    }
    const verb = req.method === "POST" ? "post" : "get";
    if (!readable || (req.method !== "GET" && req.method !== "POST")) {
      graphError(res, 400, 100, `Unsupported ${verb} request. Object with ID '${wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
      return true;
    }
    const account = this.of(wabaId);
    account.calls += 1;
    if (account.scenario === "expired_token") {
      graphError(res, 401, 190, "Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.", 463);
    } else if (account.scenario === "no_permission" || (account.scenario === "read_only" && req.method === "POST")) {
      graphError(res, 403, 200, "(#200) Permissions error");
    } else if (req.method === "POST") {
      account.subscribes += 1;
      if (!account.apps.some((app) => app.id === SIMULATED_APP.id)) account.apps.push({ ...SIMULATED_APP });
      sendJson(res, 200, { success: true });
    } else {
      sendJson(res, 200, { data: account.apps.map((app) => ({ whatsapp_business_api_data: { ...app } })) });
    }
    return true;
  }
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/lib/db/client";
import type { AlertState } from "@/lib/alerts/types";

/**
 * Alert test helpers: a local endpoint that records what alert webhooks deliver (and can fail the first
 * few), and incidents with their outbox rows queued the way the incident step queues them (payload in
 * the shape of lib/incidents/alert-rows.ts).
 */

export interface HookHit {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface HookReceiver {
  url: string;
  hits: HookHit[];
  /** Answers `status` to the next `count` requests, then 200 again. */
  failNext(count: number, status?: number): void;
  /** Forgets hits and pending failures. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const hits: HookHit[] = [];
  const failures: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const status = failures.shift() ?? 200;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
    hits.push({ path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8"), status });
    res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "busy");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    failNext(count, status = 503) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    reset() {
      hits.splice(0);
      failures.splice(0);
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface QueuedIncident {
  incidentId: string;
  outboxIds: string[];
}

/**
 * An open incident about `channels` and one outbox row per contact for `event`, due at `at`, as the
 * incident step writes them (one transaction, the payload fixed then).
 */
export async function queueIncidentAlerts(
  db: Db,
  input: {
    tenantId: string;
    tenantName?: string;
    channels: { id: string; name: string; state?: AlertState }[];
    contactIds: string[];
    state: AlertState;
    kind?: "channel" | "gateway";
    gatewayId?: string;
    event?: "opened" | "reminder" | "resolved";
    seq?: number;
    at: Date;
  },
): Promise<QueuedIncident> {
  const kind = input.kind ?? "channel";
  const [incident] = await db<{ id: string }[]>`
    insert into public.incidents (tenant_id, kind, channel_id, gateway_id, state, states_seen, opened_at, resolved_at)
    values (${input.tenantId}, ${kind}, ${kind === "channel" ? input.channels[0].id : null}, ${kind === "gateway" ? input.gatewayId! : null},
      ${input.state}, ${[input.state]}, ${input.at}, ${input.event === "resolved" ? new Date(input.at.getTime() + 60_000) : null})
    returning id
  `;
  const payload = {
    incidentId: incident.id,
    kind,
    state: input.state,
    statesSeen: [input.state],
    critical: false,
    tenant: { id: input.tenantId, name: input.tenantName ?? "Pousada Teste", timezone: "America/Sao_Paulo" },
    gateway: kind === "gateway" ? { id: input.gatewayId, name: "evo.example.com" } : null,
    channels: input.channels.map((channel) => ({
      id: channel.id, name: channel.name, phoneNumber: null, state: channel.state ?? input.state,
      path: `/channels/${channel.id}`, qrPath: null,
    })),
    openedAt: input.at.toISOString(),
    resolvedAt: input.event === "resolved" ? new Date(input.at.getTime() + 60_000).toISOString() : null,
    durationSeconds: input.event === "resolved" ? 60 : null,
    reminder: input.event === "reminder" ? (input.seq ?? 1) : null,
    incidentsPath: "/incidents",
  };
  const outboxIds: string[] = [];
  for (const contactId of input.contactIds) {
    const [row] = await db<{ id: string }[]>`
      insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind, seq, payload, next_attempt_at, created_at)
      values (${input.tenantId}, ${incident.id}, ${contactId}, ${input.event ?? "opened"}, ${input.seq ?? 0},
        ${db.json(payload)}, ${input.at}, ${input.at})
      returning id::text as id
    `;
    outboxIds.push(row.id);
  }
  return { incidentId: incident.id, outboxIds };
}

export async function outboxRows(db: Db, ids: string[]) {
  return db<{ id: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: Date; sentAt: Date | null }[]>`
    select id::text as id, status, attempts, last_error as "lastError", next_attempt_at as "nextAttemptAt", sent_at as "sentAt"
    from public.alert_outbox o where o.id = any(${ids.map(Number)}::bigint[]) order by o.id
  `;
}

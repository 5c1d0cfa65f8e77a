import { z } from "zod";
import { ALERTING_STATES, type AlertingState } from "@/lib/incidents/incident-states";

/**
 * /incidents filters, kept in the URL so a view can be shared and the CSV export
 * (/incidents/export) returns exactly what the page shows. Anything unreadable falls back to the
 * default: a bad link shows the default list, never an error.
 */

export const INCIDENT_PERIODS = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export type IncidentPeriod = keyof typeof INCIDENT_PERIODS;
export const INCIDENT_STATUSES = ["all", "open", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentFilters {
  status: IncidentStatus;
  /** Incidents that went through this state. */
  state: AlertingState | null;
  /** Incidents this channel was in. */
  channelId: string | null;
  /** Incidents open at some time in the last …; an open one always counts. */
  period: IncidentPeriod;
}

export const DEFAULT_FILTERS: IncidentFilters = { status: "all", state: null, channelId: null, period: "30d" };

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function first(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export function readIncidentFilters(params: Params): IncidentFilters {
  const pick = <T>(schema: z.ZodType<T>, value: string | undefined, fallback: T): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fallback;
  };
  return {
    status: pick(z.enum(INCIDENT_STATUSES), first(params, "status"), DEFAULT_FILTERS.status),
    state: pick(z.enum(ALERTING_STATES).nullable(), first(params, "state"), null),
    channelId: pick(z.uuid().nullable(), first(params, "channel"), null),
    period: pick(z.enum(Object.keys(INCIDENT_PERIODS) as [IncidentPeriod, ...IncidentPeriod[]]), first(params, "period"), DEFAULT_FILTERS.period),
  };
}

/** The query string for these filters (defaults left out), without the leading "?". */
export function incidentFiltersQuery(filters: IncidentFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== DEFAULT_FILTERS.status) params.set("status", filters.status);
  if (filters.state) params.set("state", filters.state);
  if (filters.channelId) params.set("channel", filters.channelId);
  if (filters.period !== DEFAULT_FILTERS.period) params.set("period", filters.period);
  return params.toString();
}

export function periodStart(period: IncidentPeriod, now: Date): Date {
  return new Date(now.getTime() - INCIDENT_PERIODS[period] * 86_400_000);
}

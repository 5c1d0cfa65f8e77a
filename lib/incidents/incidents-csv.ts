import type { IncidentListRow } from "@/lib/db/incidents";
import { toCsv } from "@/lib/text/csv";

/**
 * /incidents as CSV (lib/text/csv.ts: quoted, formulas defused). Times are ISO 8601 in UTC and
 * durations in whole seconds, so a spreadsheet can compute with them.
 */

const HEADER = [
  "id", "kind", "state", "states_seen", "channels", "channels_still_affected", "gateway", "opened_at", "resolved_at",
  "duration_seconds", "acknowledged_at", "acknowledged_by", "reminders",
];

export function incidentsCsv(rows: IncidentListRow[], now: Date): string {
  return toCsv(HEADER, rows.map((row) => {
    const end = row.resolvedAt ?? now;
    return [
      row.id,
      row.kind,
      row.state,
      row.statesSeen.join(" "),
      row.channels.map((c) => c.name).join("; "),
      row.channels.filter((c) => c.leftAt === null).length,
      row.gatewayName,
      row.openedAt.toISOString(),
      row.resolvedAt?.toISOString() ?? null,
      Math.round((end.getTime() - row.openedAt.getTime()) / 1000),
      row.acknowledgedAt?.toISOString() ?? null,
      row.acknowledgedBy,
      row.reminderCount,
    ];
  }));
}

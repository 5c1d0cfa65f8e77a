import type { IncidentListRow } from "@/lib/db/incidents";

/**
 * /incidents as CSV (RFC 4180: CRLF, quotes doubled, every field quoted). Times are ISO 8601 in UTC
 * and durations in whole seconds, so a spreadsheet can compute with them. A cell that starts like a
 * formula (= + - @, tab, CR) gets a leading apostrophe: channel names are typed by tenant admins and
 * must never run as formulas in whoever opens the file.
 */

const HEADER = [
  "id", "kind", "state", "states_seen", "channels", "channels_still_affected", "gateway", "opened_at", "resolved_at",
  "duration_seconds", "acknowledged_at", "acknowledged_by", "reminders",
];

function cell(value: string | number | null): string {
  if (value === null) return '""';
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function incidentsCsv(rows: IncidentListRow[], now: Date): string {
  const lines = [HEADER.map(cell).join(",")];
  for (const row of rows) {
    const end = row.resolvedAt ?? now;
    lines.push([
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
    ].map(cell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

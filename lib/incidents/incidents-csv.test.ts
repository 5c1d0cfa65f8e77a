import { describe, expect, it } from "vitest";
import { incidentsCsv } from "@/lib/incidents/incidents-csv";

const NOW = new Date("2026-03-01T12:00:00.000Z");

describe("incidentsCsv", () => {
  it("quotes every cell, doubles quotes, defuses formulas, and counts an open incident up to now", () => {
    const csv = incidentsCsv([{
      id: "i1", kind: "gateway", state: "provider_down", statesSeen: ["provider_down"], openedAt: new Date("2026-03-01T11:00:00Z"),
      resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null, gatewayName: "gw", reminderCount: 0,
      channels: [
        { id: "a", name: '=HYPERLINK("x")', state: "provider_down", leftAt: null },
        { id: "b", name: 'Recepção "1"', state: "provider_down", leftAt: new Date("2026-03-01T11:30:00Z") },
      ],
    }], NOW);
    const [header, line, end] = csv.split("\r\n");
    expect(header.startsWith('"id","kind","state"')).toBe(true);
    expect(line).toBe(
      '"i1","gateway","provider_down","provider_down","\'=HYPERLINK(""x""); Recepção ""1""","1","gw",'
      + '"2026-03-01T11:00:00.000Z","","3600","","","0"',
    );
    expect(end).toBe("");
  });
});

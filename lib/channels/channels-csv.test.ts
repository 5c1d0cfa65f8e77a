import { describe, expect, it } from "vitest";
import { CHANNEL_LIST_HEADER, TRANSITIONS_HEADER, channelListCsv, transitionsCsv, type DescribeReason } from "@/lib/channels/channels-csv";
import type { Transition } from "@/lib/db/channel-detail";
import type { ChannelSummary } from "@/lib/db/channel-health";

const NOW = new Date("2026-03-01T12:00:00.000Z");

const describeFor = (technical: boolean): DescribeReason => (state, reason) =>
  reason ? { text: `em palavras: ${state}`, detail: technical ? reason : null } : { text: null, detail: null };

const lines = (csv: string) => csv.split("\r\n");

function summary(overrides: Partial<ChannelSummary> = {}): ChannelSummary {
  return {
    id: "c1", displayName: "Recepção", phoneNumber: "+5511991230004", instanceName: "recepcao", monitoringEnabled: true,
    state: "connected", reason: null, since: new Date("2026-03-01T09:19:00Z"), lastCheckedAt: new Date("2026-03-01T11:59:30Z"),
    latencyMs: 320, silentSince: null,
    uptime24h: { upSeconds: 86_400, observedSeconds: 86_400 },
    uptime7d: { upSeconds: 600_000, observedSeconds: 604_800 },
    uptime30d: { upSeconds: 0, observedSeconds: 30 },
    ...overrides,
  };
}

describe("channelListCsv", () => {
  it("has a header, one line per channel, ISO times, uptime as a fraction (empty without data)", () => {
    const [header, line, end] = lines(channelListCsv([summary()], describeFor(false)));
    expect(header).toBe(CHANNEL_LIST_HEADER.map((h) => `"${h}"`).join(","));
    expect(line).toBe('"c1","Recepção","\'+5511991230004","connected","2026-03-01T09:19:00.000Z","2026-03-01T11:59:30.000Z","320","1","0.9921","","",""');
    expect(end).toBe("");
  });

  it("defuses a name typed as a formula, and shows no latency for a gateway that did not answer", () => {
    const [, line] = lines(channelListCsv([summary({ displayName: "=cmd|'/c calc'!A0", state: "provider_down", reason: "ECONNREFUSED" })], describeFor(false)));
    expect(line.startsWith('"c1","\'=cmd|\'/c calc\'!A0","\'+5511991230004","provider_down"')).toBe(true);
    expect(line.split(",")[6]).toBe('""');
  });

  it("says the reason in words, and the stored words only to whoever may see them", () => {
    const row = summary({ state: "disconnected", reason: "close (401)" });
    expect(lines(channelListCsv([row], describeFor(false)))[1].endsWith('"em palavras: disconnected",""')).toBe(true);
    expect(lines(channelListCsv([row], describeFor(true)))[1].endsWith('"em palavras: disconnected","close (401)"')).toBe(true);
  });
});

describe("transitionsCsv", () => {
  const event = (id: string, at: string, from: Transition["fromState"], to: Transition["toState"], reason: string | null = null): Transition => ({
    id, fromState: from, toState: to, reason, source: "monitor", occurredAt: new Date(at),
  });

  it("keeps the newest first, each lasting until the next, the newest until now", () => {
    const csv = transitionsCsv([
      event("2", "2026-03-01T11:00:00Z", "disconnected", "connected"),
      event("1", "2026-03-01T10:30:00Z", null, "disconnected", "@gateway said no"),
    ], NOW, describeFor(true));
    expect(lines(csv)).toEqual([
      TRANSITIONS_HEADER.map((h) => `"${h}"`).join(","),
      '"2026-03-01T11:00:00.000Z","disconnected","connected","monitor","3600","",""',
      '"2026-03-01T10:30:00.000Z","","disconnected","monitor","1800","em palavras: disconnected","\'@gateway said no"',
      "",
    ]);
  });

  it("is the header alone for a channel that never changed", () => {
    expect(transitionsCsv([], NOW, describeFor(false))).toBe(`${TRANSITIONS_HEADER.map((h) => `"${h}"`).join(",")}\r\n`);
  });
});

import { describe, expect, it } from "vitest";
import { collapseFlaps, type TimelineTransition } from "@/lib/format/timeline";
import type { ChannelState } from "@/lib/monitor/states";

const NOW = new Date("2026-11-30T12:00:00Z");
const at = (iso: string) => new Date(`2026-11-30T${iso}Z`);

/** Newest first, as the page reads them. */
function history(...rows: [string, ChannelState][]): (TimelineTransition & { id: string })[] {
  return rows.map(([time, toState], i) => ({ id: String(i), occurredAt: at(time), toState }));
}

describe("collapseFlaps", () => {
  it("folds a webhook burst of zero-second states into one unstable entry with the count and the span", () => {
    const transitions = history(
      ["09:19:14", "connected"], // the state it settled in, still ongoing
      ["09:19:14", "connecting"],
      ["09:19:13", "disconnected"],
      ["09:19:05", "connecting"],
      ["09:19:02", "disconnected"],
      ["08:00:00", "connected"],
    );
    const entries = collapseFlaps(transitions, NOW);
    expect(entries.map((e) => e.kind)).toEqual(["transition", "unstable", "transition"]);
    expect(entries[0]).toMatchObject({ kind: "transition", ongoing: true, durationMs: (2 * 3600 + 40 * 60 + 46) * 1000 });
    expect(entries[1]).toMatchObject({ kind: "unstable", from: at("09:19:02"), to: at("09:19:14"), states: ["disconnected", "connecting"] });
    expect(entries[1].kind === "unstable" && entries[1].events.map((e) => e.id)).toEqual(["1", "2", "3", "4"]);
    expect(entries[2]).toMatchObject({ kind: "transition", ongoing: false, durationMs: (3600 + 19 * 60 + 2) * 1000 });
  });

  it("keeps a single short blip as itself, and never folds the newest (current) state", () => {
    const transitions = history(
      ["11:59:50", "disconnected"], // 10 s so far: the current state
      ["11:00:00", "connected"],
      ["10:59:30", "disconnected"], // lasted 30 s, alone
      ["10:00:00", "connected"],
    );
    const entries = collapseFlaps(transitions, NOW);
    expect(entries.map((e) => e.kind)).toEqual(["transition", "transition", "transition", "transition"]);
    expect(entries[2]).toMatchObject({ durationMs: 30_000, ongoing: false });
  });

  it("splits runs at a state that lasted a minute or more, and folds a run that reaches the oldest row", () => {
    const transitions = history(
      ["11:00:00", "connected"],
      ["10:50:00", "disconnected"], // lasted 10 min
      ["10:49:59", "connecting"],
      ["10:49:40", "disconnected"],
      ["10:30:00", "connected"], // lasted exactly 1 min: not a flap
      ["10:29:10", "connecting"],
      ["10:28:30", "disconnected"],
      ["10:28:20", "connecting"],
    );
    const entries = collapseFlaps(transitions, NOW);
    expect(entries.map((e) => (e.kind === "unstable" ? `unstable×${e.events.length}` : e.event.toState))).toEqual([
      "connected", "disconnected", "unstable×2", "connected", "unstable×3",
    ]);
    const oldest = entries.at(-1);
    expect(oldest).toMatchObject({ from: at("10:28:20"), to: at("10:30:00") });
  });

  it("returns nothing for no history", () => {
    expect(collapseFlaps([], NOW)).toEqual([]);
  });
});

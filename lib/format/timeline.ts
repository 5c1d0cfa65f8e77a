import type { ChannelState } from "@/lib/monitor/states";

/**
 * The channel's history as people read it. A webhook burst or a flapping line records a transition
 * every few seconds; listed one by one they bury the page in "lasted 0 s" rows. Here every run of two
 * or more states that each lasted less than FLAP_WINDOW_MS becomes one "unstable" entry with how many
 * changes it held and the span it covered. A single short blip stays an ordinary row (it says more as
 * itself), and the newest transition is never folded: it is the state the channel is in now.
 */

export const FLAP_WINDOW_MS = 60_000;

export interface TimelineTransition {
  occurredAt: Date;
  toState: ChannelState;
}

export type TimelineEntry<T extends TimelineTransition> =
  | {
      kind: "transition";
      event: T;
      /** How long the state lasted: until the next transition, or until now for the newest. */
      durationMs: number;
      ongoing: boolean;
    }
  | {
      kind: "unstable";
      /** The folded transitions, newest first. */
      events: T[];
      /** When the first folded state began and when the last one ended. */
      from: Date;
      to: Date;
      /** The states the channel went through, in the order it first entered them. */
      states: ChannelState[];
    };

/** `transitions` newest first (as the page lists them); the entries come back newest first too. */
export function collapseFlaps<T extends TimelineTransition>(transitions: T[], now: Date, windowMs = FLAP_WINDOW_MS): TimelineEntry<T>[] {
  // Until when each state lasted: the next (newer) transition, or now for the newest.
  const until = (i: number) => (i === 0 ? now : transitions[i - 1].occurredAt);
  const single = (i: number): TimelineEntry<T> => ({
    kind: "transition",
    event: transitions[i],
    durationMs: Math.max(0, until(i).getTime() - transitions[i].occurredAt.getTime()),
    ongoing: i === 0,
  });
  const entries: TimelineEntry<T>[] = [];
  let runStart = -1; // index of the newest transition in the current run of short states
  const flush = (end: number) => {
    // The run is transitions[runStart .. end - 1].
    if (runStart < 0) return;
    if (end - runStart >= 2) {
      const events = transitions.slice(runStart, end);
      entries.push({
        kind: "unstable",
        events,
        from: events[events.length - 1].occurredAt,
        to: until(runStart),
        states: [...new Set(events.map((event) => event.toState).reverse())],
      });
    } else {
      entries.push(single(runStart));
    }
    runStart = -1;
  };
  transitions.forEach((event, i) => {
    const short = i > 0 && until(i).getTime() - event.occurredAt.getTime() < windowMs;
    if (short) {
      if (runStart < 0) runStart = i;
      return;
    }
    flush(i);
    entries.push(single(i));
  });
  flush(transitions.length);
  return entries;
}

import { randomUUID } from "node:crypto";
import { decideIncidents } from "@/lib/incidents/decide-incidents";
import type { IncidentScope, IncidentStore, IncidentSummary } from "@/lib/incidents/types";

export interface IncidentDeps {
  store: IncidentStore;
  /** Ids for new incidents (tests may make them predictable). */
  newId?: () => string;
}

/**
 * One evaluation: read the picture, decide, write, all in one locked transaction, so an incident's
 * opening, reminder or resolution and its outbox rows commit together or not at all. Passes evaluate
 * every tenant; a webhook or a person that just changed a channel evaluates that channel's tenant.
 */
export async function evaluateIncidents(
  deps: IncidentDeps,
  input: { now: Date; scope?: IncidentScope },
): Promise<IncidentSummary> {
  return deps.store.locked(async (tx) => {
    const snapshot = await tx.loadSnapshot(input.scope ?? { all: true });
    const plan = decideIncidents(snapshot, input.now, deps.newId ?? randomUUID);
    return tx.applyPlan(plan, input.now);
  });
}

export type IncidentStepResult = { ok: true; summary: IncidentSummary } | { ok: false; error: string };

/**
 * The step a monitor pass runs after its writes. Never throws: an evaluation that fails is recorded on
 * the run (monitor_runs.incidents_error) and logged, and the next pass evaluates again from scratch.
 */
export function incidentStep(deps: IncidentDeps) {
  return async (run: { runId: string; now: Date }): Promise<IncidentStepResult> => {
    try {
      return { ok: true, summary: await evaluateIncidents(deps, { now: run.now }) };
    } catch (error) {
      const message = `incidents: ${error instanceof Error ? error.message : String(error)}`;
      console.error(`monitor run ${run.runId}: ${message}`);
      await deps.store.recordError(run.runId, message).catch(() => {});
      return { ok: false, error: message };
    }
  };
}

/**
 * After a webhook or a person changed a channel's state: its tenant's incidents follow at once instead
 * of at the next pass. Never throws (the next pass catches up).
 */
export async function evaluateChannelIncidents(deps: IncidentDeps, channelId: string, now: Date): Promise<IncidentSummary | null> {
  try {
    return await evaluateIncidents(deps, { now, scope: { channelId } });
  } catch (error) {
    console.error(`incidents after a change to channel ${channelId}: left for the next pass:`, error instanceof Error ? error.message : error);
    return null;
  }
}

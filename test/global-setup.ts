import type { TestProject } from "vitest/node";
import { startThrowawayCluster } from "./pg-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the run's throwaway PostgreSQL cluster, without a database name. */
    pgBaseUrl: string;
  }
}

/** One throwaway cluster for the whole integration run; each test opens its own database in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startThrowawayCluster();
  project.provide("pgBaseUrl", cluster.baseUrl);
  return () => cluster.stop();
}

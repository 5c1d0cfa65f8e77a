import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
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
  // Roles are the cluster's, not a database's: made once here, before test files migrate their own
  // databases side by side (two files creating the same role at once collide on pg_authid).
  const admin = postgres(`${cluster.baseUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const compat = readFileSync(path.resolve(import.meta.dirname, "..", "supabase", "migrations", "20261128000000_supabase_compat.sql"), "utf8");
    await admin.unsafe(/do \$\$[\s\S]*?\n\$\$;/.exec(compat)![0]);
  } finally {
    await admin.end();
  }
  project.provide("pgBaseUrl", cluster.baseUrl);
  return () => cluster.stop();
}

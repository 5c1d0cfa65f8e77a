import { startThrowawayCluster } from "../test/pg-cluster";

/**
 * `tsx scripts/pg-cluster.ts [dbname]`: a throwaway PostgreSQL cluster for poking at by hand. Prints the
 * URL, keeps running until Ctrl-C, then deletes everything.
 */
const dbName = process.argv[2] ?? "sentinela";
const cluster = await startThrowawayCluster();
const url = await cluster.createDatabase(dbName);
console.log(`PostgreSQL ready: ${url}\nCtrl-C stops it and deletes its data.`);
const stop = async () => {
  await cluster.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
setInterval(() => {}, 60_000);

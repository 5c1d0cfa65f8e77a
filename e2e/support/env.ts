/**
 * The e2e stack's fixed coordinates: its own ports (the demo may be running on the usual ones), a
 * cron secret the tests use to drive passes, and the throwaway embedded database.
 */
export const E2E = {
  appUrl: "http://127.0.0.1:3100",
  ports: { app: 3100, database: 54339, simulator: 54340, auth: 54341 },
  cronSecret: "e2e-cron-secret-not-for-production",
  /** Fixed so the secrets test can look for it; generated fresh only in a real deployment. */
  channelSecretKey: "ZTJlLWNoYW5uZWwtc2VjcmV0LWtleS0zMi1ieXRlcyE=",
  monitorIntervalSeconds: 10,
  databaseUrl: "postgres://postgres:postgres@127.0.0.1:54339/postgres",
  simulatorUrl: "http://127.0.0.1:54340",
} as const;

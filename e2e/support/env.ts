/**
 * The e2e stack's fixed coordinates: its own ports (the demo may be running on the usual ones), a
 * cron secret the tests use to drive passes, and the throwaway embedded database. Fixed, and outside
 * Linux's ephemeral range (32768–60999) so no outgoing connection can be holding one.
 */
export const E2E = {
  appUrl: "http://127.0.0.1:3100",
  ports: { app: 3100, database: 24339, simulator: 24340, auth: 24341, smtp: 24342, inbox: 24343 },
  cronSecret: "e2e-cron-secret-not-for-production",
  /** Fixed so the secrets test can look for it; generated fresh only in a real deployment. */
  channelSecretKey: "ZTJlLWNoYW5uZWwtc2VjcmV0LWtleS0zMi1ieXRlcyE=",
  monitorIntervalSeconds: 10,
  databaseUrl: "postgres://postgres:postgres@127.0.0.1:24339/postgres",
  simulatorUrl: "http://127.0.0.1:24340",
  /** The local mail inbox's JSON API (dev/mail-inbox): every alert e-mail the app sends lands there. */
  inboxUrl: "http://127.0.0.1:24343",
} as const;

import { parseArgs } from "node:util";
import { startMailInbox } from "./inbox";
import { startInboxWeb } from "./web";

/**
 * `npx tsx dev/mail-inbox/main.ts [--smtp-port 24325] [--web-port 24326]`: the local inbox on its own
 * (`npm run demo` starts it by itself). Point Sentinela at it with SMTP_URL=smtp://127.0.0.1:<port>.
 */

const { values } = parseArgs({
  options: { "smtp-port": { type: "string", default: "24325" }, "web-port": { type: "string", default: "24326" } },
  strict: true,
});

const inbox = await startMailInbox({ port: Number(values["smtp-port"]) });
const web = await startInboxWeb(inbox, { port: Number(values["web-port"]) });
console.log(`mail inbox: SMTP on ${inbox.smtpUrl}, messages at ${web.url}`);

const stop = async () => {
  await web.stop();
  await inbox.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

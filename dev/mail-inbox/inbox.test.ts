import nodemailer from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { startMailInbox, type MailInbox } from "./inbox";
import { startInboxWeb, type InboxWeb } from "./web";

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((thing) => thing.stop()));
});

async function start(): Promise<{ inbox: MailInbox; web: InboxWeb }> {
  const inbox = await startMailInbox();
  const web = await startInboxWeb(inbox);
  running.push(web, inbox);
  return { inbox, web };
}

function send(inbox: MailInbox, subject: string) {
  return nodemailer.createTransport({ url: inbox.smtpUrl }).sendMail({
    from: "Sentinela <alerts@sentinela.test>",
    to: "ana@marazul.demo",
    subject,
    text: "plain body",
    html: "<p>html <b>body</b></p>",
    headers: { "X-Sentinela-Delivery": "77" },
  });
}

describe("local mail inbox", () => {
  it("keeps what SMTP accepted and shows it on the page and in the JSON API", async () => {
    const { inbox, web } = await start();
    await send(inbox, "Recepção: Precisa de QR");
    const [message] = (await (await fetch(`${web.url}/api/messages`)).json()) as { id: string; subject: string; to: string[]; text: string; html: string; headers: Record<string, string> }[];
    expect(message).toMatchObject({ subject: "Recepção: Precisa de QR", to: ["ana@marazul.demo"], html: "<p>html <b>body</b></p>" });
    expect(message.text.trim()).toBe("plain body");
    expect(message.headers["x-sentinela-delivery"]).toBe("77");
    const list = await (await fetch(web.url)).text();
    expect(list).toContain("Recepção: Precisa de QR");
    expect(list).toContain("ana@marazul.demo");
    const detail = await (await fetch(`${web.url}/messages/${message.id}`)).text();
    expect(detail).toContain("plain body");
    expect(detail).toContain('sandbox=""');
    expect(detail).not.toContain("<b>body</b>");
  });

  it("failNext refuses the next messages with the SMTP code asked for, then accepts", async () => {
    const { inbox, web } = await start();
    await fetch(`${web.url}/api/fail`, { method: "POST", body: JSON.stringify({ count: 1, code: 451 }) });
    await expect(send(inbox, "first")).rejects.toMatchObject({ responseCode: 451 });
    inbox.failNext(1, 550);
    await expect(send(inbox, "second")).rejects.toMatchObject({ responseCode: 550 });
    await send(inbox, "third");
    expect(inbox.messages().map((m) => m.subject)).toEqual(["third"]);
    await fetch(`${web.url}/api/messages`, { method: "DELETE" });
    expect(inbox.messages()).toEqual([]);
  });
});

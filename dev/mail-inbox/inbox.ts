import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * The demo's (and tests') local mail server: a real SMTP server (smtp-server) that keeps every message
 * it accepts, parsed (mailparser), in memory. What must stay true:
 * - it listens on loopback only, accepts any sender and recipient without auth or TLS (it is a sink,
 *   never a relay: nothing it accepts leaves this machine);
 * - a message counts once it was accepted (250 after DATA): what a test counts is what a real server
 *   would have taken responsibility for;
 * - `failNext(n, code)` makes the next n messages fail at DATA with that SMTP code (451: try later,
 *   550: refused), so delivery retries can be tested against a real protocol exchange.
 */

export interface InboxMessage {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  receivedAt: string;
  text: string;
  html: string | null;
  /** Headers Sentinela sets (X-Sentinela-Delivery), lowercased. */
  headers: Record<string, string>;
}

export interface MailInbox {
  host: string;
  smtpPort: number;
  smtpUrl: string;
  messages(): InboxMessage[];
  find(id: string): InboxMessage | undefined;
  /** Forgets every message and every pending failure. */
  clear(): void;
  failNext(count: number, code?: number): void;
  /** Resolves when `count` messages in all have been accepted, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<InboxMessage[]>;
  stop(): Promise<void>;
}

/** Kept in memory, newest last; the oldest go first past this. */
const KEPT = 1_000;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((group) => group.value.map((address) => address.address ?? "")).filter(Boolean);
}

export async function startMailInbox(options: { port?: number; host?: string } = {}): Promise<MailInbox> {
  const host = options.host ?? "127.0.0.1";
  const stored: InboxMessage[] = [];
  const failures: number[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "Sentinela local inbox (nothing leaves this machine)",
    size: 5 * 1024 * 1024,
    onData(stream, _session, callback) {
      const failure = failures.shift();
      simpleParser(stream, (error, mail) => {
        if (failure !== undefined) {
          const refusal = new Error(failure >= 500 ? "Requested action not taken: refused by the test inbox" : "Try again later (test inbox)");
          (refusal as Error & { responseCode: number }).responseCode = failure;
          return callback(refusal);
        }
        if (error) return callback(error as Error);
        const headers: Record<string, string> = {};
        for (const [name, value] of mail.headers) if (typeof value === "string") headers[name.toLowerCase()] = value;
        stored.push({
          id: randomUUID(),
          messageId: mail.messageId ?? null,
          from: addresses(mail.from)[0] ?? "",
          to: addresses(mail.to),
          subject: mail.subject ?? "",
          receivedAt: new Date().toISOString(),
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : null,
          headers,
        });
        if (stored.length > KEPT) stored.splice(0, stored.length - KEPT);
        for (const wake of waiters) wake();
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A client that drops mid-conversation must not take the demo down.
  server.on("error", () => {});
  const smtpPort = (server.server.address() as AddressInfo).port;

  return {
    host,
    smtpPort,
    smtpUrl: `smtp://${host}:${smtpPort}`,
    messages: () => stored.map((message) => ({ ...message })),
    find: (id) => stored.find((message) => message.id === id),
    clear() {
      stored.splice(0);
      failures.splice(0);
    },
    failNext(count, code = 451) {
      for (let i = 0; i < count; i++) failures.push(code);
    },
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (stored.length < count) return;
          cleanup();
          resolve(stored.map((message) => ({ ...message })));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the inbox has ${stored.length} messages, not ${count}, after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

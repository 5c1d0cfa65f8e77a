import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { InboxMessage, MailInbox } from "./inbox";

/**
 * The inbox's web page and JSON API, loopback clients only:
 * - `GET /` lists messages, newest first (subject, to, time); `GET /messages/{id}` shows one: its text,
 *   and its HTML in a sandboxed frame (no scripts, no same-origin);
 * - `GET /api/messages` → every message, oldest first, as JSON (what the e2e suite reads);
 *   `GET /api/messages/{id}`; `DELETE /api/messages` empties the inbox;
 * - `POST /api/fail` `{"count":n,"code":451}` makes the next n messages fail at DATA (tests of retries).
 */

export interface InboxWeb {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#0f172a}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e2e8f0}a{color:#1d4ed8}pre{white-space:pre-wrap;background:#f8fafc;padding:1rem}
iframe{width:100%;height:28rem;border:1px solid #cbd5e1}</style></head><body>${body}</body></html>`;
}

function listPage(messages: InboxMessage[]): string {
  const rows = [...messages].reverse().map((m) =>
    `<tr><td><a href="/messages/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || "(no subject)")}</a></td>` +
    `<td>${escapeHtml(m.to.join(", "))}</td><td><time datetime="${m.receivedAt}">${escapeHtml(m.receivedAt.replace("T", " ").slice(0, 19))} UTC</time></td></tr>`,
  );
  return page("Sentinela local inbox", `<h1>Sentinela local inbox</h1>
<p>Every e-mail the demo sends lands here; nothing leaves this machine. ${messages.length} message(s). <a href="/">Refresh</a> · <a href="/api/messages">JSON</a></p>
<table><thead><tr><th>Subject</th><th>To</th><th>Received</th></tr></thead><tbody>${rows.join("\n") || '<tr><td colspan="3">No messages yet.</td></tr>'}</tbody></table>`);
}

function messagePage(m: InboxMessage): string {
  return page(m.subject, `<p><a href="/">← Inbox</a></p><h1>${escapeHtml(m.subject || "(no subject)")}</h1>
<p>From ${escapeHtml(m.from)} to ${escapeHtml(m.to.join(", "))} · ${escapeHtml(m.receivedAt)}</p>
<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>
${m.html ? `<h2>HTML</h2><iframe sandbox="" title="HTML body" srcdoc="${escapeHtml(m.html)}"></iframe>` : ""}`);
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, "application/json", JSON.stringify(value));

async function readBody(req: IncomingMessage): Promise<unknown> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10_000) throw new Error("body too large");
  }
  return raw ? JSON.parse(raw) : {};
}

async function route(inbox: MailInbox, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://inbox.invalid");
  const [first, second] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (req.method === "GET" && !first) return send(res, 200, "text/html", listPage(inbox.messages()));
  if (req.method === "GET" && first === "messages" && second) {
    const message = inbox.find(second);
    return message ? send(res, 200, "text/html", messagePage(message)) : send(res, 404, "text/plain", "no such message");
  }
  if (first === "api" && second === "messages") {
    const id = url.pathname.split("/").filter(Boolean)[2];
    if (req.method === "GET" && !id) return json(res, 200, inbox.messages());
    if (req.method === "GET" && id) {
      const message = inbox.find(decodeURIComponent(id));
      return message ? json(res, 200, message) : json(res, 404, { error: { code: "not_found", message: "no such message" } });
    }
    if (req.method === "DELETE" && !id) {
      inbox.clear();
      return json(res, 200, { ok: true });
    }
  }
  if (req.method === "POST" && first === "api" && second === "fail") {
    const body = (await readBody(req)) as { count?: unknown; code?: unknown };
    const count = Number(body.count ?? 1);
    const code = Number(body.code ?? 451);
    if (!Number.isInteger(count) || count < 0 || count > 1000 || !Number.isInteger(code) || code < 400 || code > 599) {
      return json(res, 400, { error: { code: "invalid_body", message: "count: 0..1000, code: an SMTP 4xx or 5xx" } });
    }
    inbox.failNext(count, code);
    return json(res, 200, { ok: true });
  }
  json(res, 404, { error: { code: "not_found", message: "no such route" } });
}

export async function startInboxWeb(inbox: MailInbox, options: { port?: number; host?: string } = {}): Promise<InboxWeb> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return json(res, 403, { error: { code: "forbidden", message: "loopback only" } });
    route(inbox, req, res).catch((error: unknown) => json(res, 400, { error: { code: "bad_request", message: String((error as Error).message ?? error) } }));
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

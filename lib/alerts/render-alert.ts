import { alertSettingsLink, channelLink, incidentsLink, qrPanelLink } from "@/lib/alerts/alert-links";
import type { AlertChannelRef, AlertLanguage, AlertMessage, AlertState } from "@/lib/alerts/types";
import { formatDuration } from "@/lib/format/duration";

/**
 * One alert in words, for every kind of sender: a subject, plain text (e-mail, WhatsApp), simple HTML
 * (e-mail) and the links in it. Pure: data in, text out. What must stay true:
 * - every message about a channel links to its page, and a channel that needs a QR scan also links to
 *   its re-pair panel (lib/alerts/alert-links.ts);
 * - names people typed are escaped in HTML and never break a line of the text version;
 * - one template per event, filled from one phrase book per language: no copied branches per variant.
 */

export interface RenderedLink {
  label: string;
  url: string;
}

export interface RenderedAlert {
  subject: string;
  /** One line, for chat messages (Slack's text, the first line of WhatsApp). */
  headline: string;
  /** The body lines, plain. */
  lines: string[];
  links: RenderedLink[];
  text: string;
  html: string;
}

interface Phrases {
  states: Record<AlertState, string>;
  opened: (what: string, state: string) => string;
  reminder: (what: string, state: string, n: number) => string;
  resolved: (what: string, duration: string) => string;
  test: (tenant: string) => string;
  testBody: string;
  gateway: (name: string) => string;
  channels: (count: number) => string;
  since: (at: string) => string;
  duration: (d: string) => string;
  statesSeen: (list: string) => string;
  openPage: string;
  openQr: string;
  openIncidents: string;
  openSettings: string;
  action: Partial<Record<AlertState, string>>;
  footer: (tenant: string) => string;
}

const PT: Phrases = {
  states: {
    connecting: "Conectando",
    disconnected: "Desconectado",
    needs_qr: "Precisa de QR",
    replaced: "Sessão substituída",
    provider_down: "Gateway fora do ar",
    misconfigured: "Configuração inválida",
    blocked: "Número bloqueado",
  },
  opened: (what, state) => `${what}: ${state}`,
  reminder: (what, state, n) => `Lembrete ${n} · ${what}: ${state}`,
  resolved: (what, duration) => `Resolvido: ${what} voltou após ${duration}`,
  test: (tenant) => `Alerta de teste do Sentinela (${tenant})`,
  testBody: "Este é um alerta de teste. Se você o recebeu, este contato receberá os alertas do Sentinela.",
  gateway: (name) => `Gateway ${name}`,
  channels: (count) => (count === 1 ? "1 canal afetado:" : `${count} canais afetados:`),
  since: (at) => `Desde ${at}`,
  duration: (d) => `Duração: ${d}`,
  statesSeen: (list) => `Estados: ${list}`,
  openPage: "Abrir o canal",
  openQr: "Escanear o QR para reconectar",
  openIncidents: "Ver incidentes",
  openSettings: "Configurar alertas",
  action: {
    needs_qr: "A linha foi desconectada do celular: alguém precisa escanear um novo QR code.",
    replaced: "Outra sessão assumiu o número: confira qual aparelho está conectado antes de reconectar.",
    blocked: "O WhatsApp recusou envios deste número: resolva no painel do provedor.",
    misconfigured: "O gateway recusou a chave ou não conhece a instância: confira a configuração do canal.",
    provider_down: "O gateway não responde: nada a reconectar até ele voltar.",
  },
  footer: (tenant) => `Sentinela · ${tenant}`,
};

const EN: Phrases = {
  states: {
    connecting: "Connecting",
    disconnected: "Disconnected",
    needs_qr: "Needs QR",
    replaced: "Session replaced",
    provider_down: "Gateway down",
    misconfigured: "Misconfigured",
    blocked: "Number blocked",
  },
  opened: (what, state) => `${what}: ${state}`,
  reminder: (what, state, n) => `Reminder ${n} · ${what}: ${state}`,
  resolved: (what, duration) => `Resolved: ${what} is back after ${duration}`,
  test: (tenant) => `Sentinela test alert (${tenant})`,
  testBody: "This is a test alert. If you received it, this contact will receive Sentinela's alerts.",
  gateway: (name) => `Gateway ${name}`,
  channels: (count) => (count === 1 ? "1 channel affected:" : `${count} channels affected:`),
  since: (at) => `Since ${at}`,
  duration: (d) => `Duration: ${d}`,
  statesSeen: (list) => `States: ${list}`,
  openPage: "Open the channel",
  openQr: "Scan the QR code to reconnect",
  openIncidents: "See incidents",
  openSettings: "Alert settings",
  action: {
    needs_qr: "The line was logged out from the phone: someone must scan a new QR code.",
    replaced: "Another session took the number over: check which device is connected before reconnecting.",
    blocked: "WhatsApp refuses to send from this number: fix it in the provider's dashboard.",
    misconfigured: "The gateway refuses the key or does not know the instance: check the channel's settings.",
    provider_down: "The gateway does not answer: nothing to reconnect until it is back.",
  },
  footer: (tenant) => `Sentinela · ${tenant}`,
};

const PHRASES: Record<AlertLanguage, Phrases> = { "pt-BR": PT, en: EN };

/** One line of plain text: what a person typed can never start a new line or hide in controls. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function formatAt(at: Date, language: AlertLanguage, timeZone: string): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    zone = "UTC";
  }
  return new Intl.DateTimeFormat(language, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short",
  }).format(at);
}

function channelLabel(channel: AlertChannelRef): string {
  return oneLine(channel.phone ? `${channel.name} (${channel.phone})` : channel.name);
}

/** What the incident is about, in a few words: the channel's name, or the gateway's name. */
function subjectOf(incident: NonNullable<AlertMessage["incident"]>, p: Phrases): string {
  if (incident.kind === "gateway") return p.gateway(oneLine(incident.gatewayName ?? "?"));
  const [channel] = incident.channels;
  return channel ? channelLabel(channel) : "?";
}

/** A channel's links: its page, and its re-pair panel while it needs a QR scan (not once resolved). */
function channelLinks(channel: AlertChannelRef, resolved: boolean, appUrl: string, p: Phrases): RenderedLink[] {
  const links: RenderedLink[] = [];
  if (!resolved && channel.state === "needs_qr") links.push({ label: `${p.openQr}: ${oneLine(channel.name)}`, url: qrPanelLink(appUrl, channel.id) });
  links.push({ label: `${p.openPage}: ${oneLine(channel.name)}`, url: channelLink(appUrl, channel.id) });
  return links;
}

/** Gateway incidents list at most this many channels in full; the rest are counted. */
const LISTED_CHANNELS = 20;

export function renderAlert(message: AlertMessage, language: AlertLanguage, appUrl: string): RenderedAlert {
  const p = PHRASES[language];
  const at = (date: Date) => formatAt(date, language, message.timeZone);
  const tenant = oneLine(message.tenantName);
  const incident = message.incident;

  if (message.event === "test" || !incident) {
    const subject = p.test(tenant);
    const lines = [p.testBody, at(message.at)];
    return finish(subject, subject, lines, [{ label: p.openSettings, url: alertSettingsLink(appUrl) }], tenant, p);
  }

  const what = subjectOf(incident, p);
  const state = p.states[incident.state];
  const resolved = message.event === "resolved";
  const durationMs = (incident.resolvedAt ?? message.at).getTime() - incident.openedAt.getTime();
  const headline =
    message.event === "opened" ? p.opened(what, state)
      : message.event === "reminder" ? p.reminder(what, state, Math.max(1, incident.reminder))
        : p.resolved(what, formatDuration(durationMs));

  const lines: string[] = [];
  if (!resolved && p.action[incident.state]) lines.push(p.action[incident.state]!);
  lines.push(p.since(at(incident.openedAt)));
  if (message.event !== "opened") lines.push(p.duration(formatDuration(durationMs)));
  if (incident.statesSeen.length > 1) lines.push(p.statesSeen(incident.statesSeen.map((s) => p.states[s]).join(" → ")));
  const listed = incident.channels.slice(0, LISTED_CHANNELS);
  if (incident.kind === "gateway") {
    lines.push(p.channels(incident.channels.length));
    for (const channel of listed) lines.push(`• ${channelLabel(channel)}: ${p.states[channel.state]}`);
    if (incident.channels.length > listed.length) lines.push(`• … +${incident.channels.length - listed.length}`);
  }

  const links = listed.flatMap((channel) => channelLinks(channel, resolved, appUrl, p));
  if (incident.kind === "gateway") links.push({ label: p.openIncidents, url: incidentsLink(appUrl) });
  return finish(`[Sentinela] ${headline}`, headline, lines, links, tenant, p);
}

function finish(subject: string, headline: string, lines: string[], links: RenderedLink[], tenant: string, p: Phrases): RenderedAlert {
  const text = [headline, "", ...lines, "", ...links.map((l) => `${l.label}: ${l.url}`), "", p.footer(tenant)].join("\n");
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a">`,
    `<h1 style="font-size:18px">${escapeHtml(headline)}</h1>`,
    ...lines.map((line) => `<p style="margin:4px 0">${escapeHtml(line)}</p>`),
    `<ul>`,
    ...links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`),
    `</ul>`,
    `<p style="color:#475569;font-size:12px">${escapeHtml(p.footer(tenant))}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, headline, lines, links, text, html };
}

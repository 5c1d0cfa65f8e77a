import { describe, expect, it } from "vitest";
import { renderAlert } from "@/lib/alerts/render-alert";
import { slackBody } from "@/lib/alerts/send-slack";
import type { AlertMessage } from "@/lib/alerts/types";

const NOW = new Date("2026-03-06T23:10:00Z");
const APP = "https://sentinela.example.com/";
const CHANNEL = "0f0e0d0c-0000-4000-8000-000000000001";

function message(overrides: Partial<AlertMessage> = {}, incident: Partial<NonNullable<AlertMessage["incident"]>> = {}): AlertMessage {
  return {
    event: "opened",
    tenantName: "Pousada Mar Azul",
    timeZone: "America/Sao_Paulo",
    at: NOW,
    incident: {
      id: "inc-1",
      kind: "channel",
      state: "needs_qr",
      statesSeen: ["needs_qr"],
      openedAt: new Date("2026-03-06T23:00:00Z"),
      resolvedAt: null,
      gatewayName: null,
      reminder: 0,
      channels: [{ id: CHANNEL, name: "Recepção <b>Mar</b>", phone: "+5512991230001", state: "needs_qr" }],
      ...incident,
    },
    ...overrides,
  };
}

describe("renderAlert", () => {
  it("needs_qr in pt-BR: the subject names the channel and state, and links open the QR panel and the page", () => {
    const out = renderAlert(message(), "pt-BR", APP);
    expect(out.subject).toBe("[Sentinela] Recepção <b>Mar</b> (+5512991230001): Precisa de QR");
    expect(out.text).toContain(`https://sentinela.example.com/channels/${CHANNEL}?pair=1#qr-title`);
    expect(out.text).toContain(`https://sentinela.example.com/channels/${CHANNEL}\n`);
    expect(out.text).toContain("escanear um novo QR code");
    // Local time of the tenant (São Paulo, UTC-3): 20:00.
    expect(out.text).toContain("20:00");
    expect(out.html).toContain(`href="https://sentinela.example.com/channels/${CHANNEL}?pair=1#qr-title"`);
    expect(out.html).toContain("Recepção &lt;b&gt;Mar&lt;/b&gt;");
    expect(out.html).not.toContain("<b>Mar</b>");
  });

  it("needs_qr in en says the same in English", () => {
    const out = renderAlert(message(), "en", APP);
    expect(out.subject).toBe("[Sentinela] Recepção <b>Mar</b> (+5512991230001): Needs QR");
    expect(out.text).toContain("Scan the QR code to reconnect");
    expect(out.text).toContain(`/channels/${CHANNEL}?pair=1#qr-title`);
    expect(out.text).toContain("someone must scan a new QR code");
  });

  it("a state that needs no scan links to the page only", () => {
    const out = renderAlert(message({}, { state: "disconnected", statesSeen: ["disconnected"], channels: [{ id: CHANNEL, name: "X", phone: null, state: "disconnected" }] }), "en", APP);
    expect(out.links.map((l) => l.url)).toEqual([`https://sentinela.example.com/channels/${CHANNEL}`]);
    expect(out.text).not.toContain("pair=1");
  });

  it("a resolution says how long it lasted and no longer offers the QR panel", () => {
    const resolved = message({ event: "resolved" }, { resolvedAt: new Date("2026-03-06T23:47:30Z"), statesSeen: ["disconnected", "needs_qr"] });
    const pt = renderAlert(resolved, "pt-BR", APP);
    expect(pt.subject).toBe("[Sentinela] Resolvido: Recepção <b>Mar</b> (+5512991230001) voltou após 47 min 30 s");
    expect(pt.text).toContain("Estados: Desconectado → Precisa de QR");
    expect(pt.text).not.toContain("pair=1");
    const en = renderAlert(resolved, "en", APP);
    expect(en.subject).toBe("[Sentinela] Resolved: Recepção <b>Mar</b> (+5512991230001) is back after 47 min 30 s");
  });

  it("a reminder counts", () => {
    expect(renderAlert(message({ event: "reminder" }, { reminder: 2 }), "en", APP).headline).toBe(
      "Reminder 2 · Recepção <b>Mar</b> (+5512991230001): Needs QR",
    );
  });

  it("a gateway incident lists its channels, each with a link, and links the incidents page", () => {
    const channels = Array.from({ length: 3 }, (_, i) => ({ id: `c${i}`, name: `Linha ${i}`, phone: null, state: "provider_down" as const }));
    const out = renderAlert(message({}, { kind: "gateway", state: "provider_down", statesSeen: ["provider_down"], gatewayName: "evo.example.com", channels }), "pt-BR", APP);
    expect(out.subject).toBe("[Sentinela] Gateway evo.example.com: Gateway fora do ar");
    expect(out.text).toContain("3 canais afetados:");
    expect(out.text).toContain("• Linha 2: Gateway fora do ar");
    expect(out.links.map((l) => l.url)).toEqual([
      "https://sentinela.example.com/channels/c0",
      "https://sentinela.example.com/channels/c1",
      "https://sentinela.example.com/channels/c2",
      "https://sentinela.example.com/incidents",
    ]);
  });

  it("a test alert names the tenant and links the alert settings", () => {
    const out = renderAlert(message({ event: "test", incident: null }), "en", APP);
    expect(out.subject).toBe("Sentinela test alert (Pousada Mar Azul)");
    expect(out.links).toEqual([{ label: "Alert settings", url: "https://sentinela.example.com/settings/alerts" }]);
  });

  it("a name with a line break cannot start a new line in the subject or the text", () => {
    const out = renderAlert(message({}, { channels: [{ id: CHANNEL, name: "A\r\nBcc: x@y", phone: null, state: "needs_qr" }] }), "en", APP);
    expect(out.subject).not.toMatch(/[\r\n]/);
    expect(out.text.split("\n").some((line) => line.startsWith("Bcc:"))).toBe(false);
  });

  it("Slack blocks carry the same words and links, with mrkdwn specials escaped", () => {
    const body = slackBody(renderAlert(message(), "en", APP)) as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toBe("Recepção <b>Mar</b> (+5512991230001): Needs QR");
    const links = body.blocks[2].text.text;
    expect(links).toContain(`<https://sentinela.example.com/channels/${CHANNEL}?pair=1#qr-title|Scan the QR code to reconnect: Recepção &lt;b&gt;Mar&lt;/b&gt;>`);
  });
});

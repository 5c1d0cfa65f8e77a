import type { WebhookInput } from "@/dev/evolution-simulator/model";
import type { EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { startPlatformReceiver, type PlatformReceiver } from "@/dev/platform-receiver/server";
import type { DemoInstance } from "@/lib/demo/seed-demo";

/**
 * The demo's stand-in for the platform (the property-management system whose webhook the gateway
 * instances already carry). A few demo instances start with its webhook installed; Sentinela adopts
 * each on its first pass and forwards every event here, so forwarding is visible: guests "write" every
 * 20 s, and the stand-in logs what reached it once a minute. Its token sits in the URL's query and in a
 * header, as platforms do; the stand-in answers 401 without the header.
 */

export const DEMO_PLATFORM_TOKEN = "demo-platform-token-0001";

const GUEST_LINES = [
  "Olá! Vocês têm vaga para o feriado?",
  "Qual o horário do check-in?",
  "Pode mandar a senha do Wi-Fi, por favor?",
  "Chegamos! Onde pegamos a chave?",
  "Aceitam pet de pequeno porte?",
];

export interface DemoPlatform {
  receiver: PlatformReceiver;
  /** The platform's webhook for an instance that starts with one. */
  webhookFor(instance: DemoInstance): WebhookInput | undefined;
  /** Guests writing to the platform's instances, through whatever webhook each instance holds now. */
  startTraffic(simulator: EvolutionSimulator, instances: DemoInstance[]): { stop(): void };
  stop(): Promise<void>;
}

export async function startDemoPlatform(log: (line: string) => void): Promise<DemoPlatform> {
  const receiver = await startPlatformReceiver({ requireHeader: { name: "X-Platform-Token", value: DEMO_PLATFORM_TOKEN } });
  return {
    receiver,
    webhookFor(instance) {
      if (!instance.platformWebhook) return undefined;
      return {
        enabled: true,
        url: `${receiver.url}/whatsapp/hook?token=${DEMO_PLATFORM_TOKEN}`,
        headers: { "X-Platform-Token": DEMO_PLATFORM_TOKEN },
        events: ["MESSAGES_UPSERT", "CONNECTION_UPDATE"],
        byEvents: instance.platformWebhook === "byEvents",
        base64: false,
      };
    },
    startTraffic(simulator, instances) {
      const talking = instances.filter((instance) => instance.platformWebhook).map((instance) => instance.instanceName);
      let turn = 0;
      let reported = 0;
      const chatter = setInterval(() => {
        const name = talking[turn % talking.length];
        const text = GUEST_LINES[turn % GUEST_LINES.length];
        turn++;
        const data = { key: { remoteJid: "5511987650000@s.whatsapp.net", fromMe: false, id: `DEMO${Date.now()}` }, pushName: "Hóspede", message: { conversation: text } };
        simulator.emit(name, { event: "messages.upsert", data }).catch(() => {});
      }, 20_000);
      const report = setInterval(() => {
        const stats = receiver.stats();
        if (stats.accepted === reported) return;
        reported = stats.accepted;
        const byInstance = Object.entries(stats.byInstance).map(([name, n]) => `${name} ${n}`).join(", ");
        log(`platform stand-in on ${receiver.url}: ${stats.accepted} events received through Sentinela (${byInstance})`);
      }, 60_000);
      chatter.unref();
      report.unref();
      return { stop: () => [chatter, report].forEach((timer) => clearInterval(timer)) };
    },
    stop: () => receiver.stop(),
  };
}

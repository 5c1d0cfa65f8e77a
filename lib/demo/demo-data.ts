/**
 * The demo world: who signs in, which tenants they see, which channels exist and how each simulated
 * gateway instance behaves. Shared by `sentinela seed --demo`, the local auth server and the sign-in
 * page (which lists these users only when SENTINELA_DEMO=1). Passwords here are demo data, not secrets.
 */

export const DEMO_PASSWORD = "sentinela-demo";

export type DemoScenario =
  | "healthy"
  | "drops_and_recovers"
  | "flapping"
  | "logged_out"
  | "never_paired"
  | "replaced"
  | "stuck_connecting"
  | "slow"
  | "gateway_down"
  | "wrong_api_key"
  | "malformed_json"
  /** Cloud API: WhatsApp limits what the number may send (health_status LIMITED): restricted. */
  | "sending_limited"
  /** Cloud API: WhatsApp refuses to send for the number (health_status BLOCKED): blocked. */
  | "sending_blocked";

/**
 * The instance starts with the platform's own webhook installed (its guests' messages go there), as on
 * a live fleet: Sentinela adopts it on its first pass and forwards every event to the demo's stand-in
 * platform. `byEvents`: the platform's webhook uses per-event URLs.
 */
export type DemoPlatformWebhook = "plain" | "byEvents";

export interface DemoChannel {
  name: string;
  phone: string;
  scenario: DemoScenario;
  platformWebhook?: DemoPlatformWebhook;
  /**
   * Another gateway than Evolution, on its own simulator, playing its side of the scenario
   * (lib/demo/seed-demo.ts's wahaScenarioOf, zapiScenarioOf, cloudApiScenarioOf): a WAHA session, a Z-API
   * instance, or a Cloud API phone number (whose id is derived from the phone, demoPhoneNumberId).
   */
  provider?: "waha" | "zapi" | "cloud-api";
}

export interface DemoTenant {
  slug: string;
  name: string;
  channels: DemoChannel[];
}

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  /** What the sign-in page says this user is for. */
  role: string;
  memberships: { tenant: string; role: "viewer" | "admin" }[];
  platformAdmin?: boolean;
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    slug: "pousada-mar-azul",
    name: "Pousada Mar Azul",
    channels: [
      { name: "Recepção Mar Azul", phone: "+5512991230001", scenario: "healthy", platformWebhook: "plain" },
      { name: "Reservas Ubatuba", phone: "+5512991230002", scenario: "healthy" },
      { name: "Suíte Vista Mar", phone: "+5512991230003", scenario: "drops_and_recovers" },
      { name: "Chalé Praia Vermelha", phone: "+5512991230004", scenario: "healthy" },
      { name: "Casa Itaguá", phone: "+5512991230005", scenario: "logged_out" },
      { name: "Bangalô Perequê-Açu", phone: "+5512991230006", scenario: "slow" },
      { name: "Apartamento Toninhas", phone: "+5512991230007", scenario: "healthy" },
      { name: "Flat Lagoinha", phone: "+5512991230008", scenario: "flapping" },
      { name: "Check-in Digital", phone: "+5512991230009", scenario: "healthy" },
      // WAHA sessions next to the Evolution instances, as on a platform migrating between gateways.
      { name: "Portaria Itamambuca", phone: "+5512991230010", scenario: "healthy", provider: "waha" },
      // SCAN_QR_CODE since it was created: a person must scan, never a restart.
      { name: "Reservas Prumirim", phone: "+5512991230011", scenario: "never_paired", provider: "waha" },
      // Z-API instances: one up, one whose session dropped and comes back when the monitor restarts it.
      { name: "Quiosque Praia Grande", phone: "+5512991230012", scenario: "healthy", provider: "zapi" },
      { name: "Trilha Sete Praias", phone: "+5512991230013", scenario: "drops_and_recovers", provider: "zapi" },
      // Official numbers on the WhatsApp Cloud API: available, limited (restricted), blocked.
      { name: "Central Mar Azul", phone: "+5512991230014", scenario: "healthy", provider: "cloud-api" },
      { name: "Ofertas Ubatuba", phone: "+5512991230015", scenario: "sending_limited", provider: "cloud-api" },
      { name: "Promoções Verão", phone: "+5512991230016", scenario: "sending_blocked", provider: "cloud-api" },
    ],
  },
  {
    slug: "serra-verde",
    name: "Casas da Serra Verde",
    channels: [
      { name: "Chalé Araucária", phone: "+5554992340001", scenario: "healthy", platformWebhook: "byEvents" },
      { name: "Cabana Hortênsias", phone: "+5554992340002", scenario: "healthy" },
      { name: "Casa do Lago Negro", phone: "+5554992340003", scenario: "replaced" },
      { name: "Recanto Canela", phone: "+5554992340004", scenario: "healthy" },
      { name: "Villa Bavária", phone: "+5554992340005", scenario: "stuck_connecting" },
      { name: "Suíte Lareira", phone: "+5554992340006", scenario: "healthy" },
      { name: "Reservas Gramado", phone: "+5554992340007", scenario: "drops_and_recovers" },
      { name: "Concierge Serra", phone: "+5554992340008", scenario: "healthy" },
      { name: "Chalé Vale do Quilombo", phone: "+5554992340009", scenario: "healthy", provider: "waha" },
      // FAILED on the WAHA server: the monitor restarts the session and it comes back.
      { name: "Cabana Laje de Pedra", phone: "+5554992340010", scenario: "drops_and_recovers", provider: "waha" },
      { name: "Chalé Vale dos Vinhedos", phone: "+5554992340011", scenario: "healthy", provider: "zapi" },
      { name: "Pousada Caracol", phone: "+5554992340012", scenario: "drops_and_recovers", provider: "zapi" },
      { name: "Central Serra Verde", phone: "+5554992340013", scenario: "healthy", provider: "cloud-api" },
      { name: "Campanhas Gramado", phone: "+5554992340014", scenario: "sending_limited", provider: "cloud-api" },
      { name: "Avisos Canela", phone: "+5554992340015", scenario: "sending_blocked", provider: "cloud-api" },
    ],
  },
  {
    slug: "refugio-ilhabela",
    name: "Refúgio Ilhabela Temporada",
    channels: [
      { name: "Casa Castelhanos", phone: "+5512993450001", scenario: "healthy", platformWebhook: "plain" },
      { name: "Pousada Curral", phone: "+5512993450002", scenario: "gateway_down" },
      { name: "Chalé Jabaquara", phone: "+5512993450003", scenario: "healthy" },
      { name: "Vila Bonete", phone: "+5512993450004", scenario: "wrong_api_key" },
      { name: "Loft Perequê", phone: "+5512993450005", scenario: "healthy" },
      { name: "Casa Feiticeira", phone: "+5512993450006", scenario: "malformed_json" },
      { name: "Reservas Ilhabela", phone: "+5512993450007", scenario: "healthy" },
      { name: "Atendimento Barra Velha", phone: "+5512993450008", scenario: "healthy" },
      // Created on the gateway and never scanned (2.3.6: close, no reason, no owner): needs a QR, never a restart.
      { name: "Linha Nova Vila", phone: "+5512993450009", scenario: "never_paired" },
      { name: "Casa Ponta das Canas", phone: "+5512993450010", scenario: "healthy", provider: "zapi" },
      { name: "Chalé Saco do Sombrio", phone: "+5512993450011", scenario: "drops_and_recovers", provider: "zapi" },
      { name: "Central Ilhabela", phone: "+5512993450012", scenario: "healthy", provider: "cloud-api" },
      { name: "Ofertas Ilhabela", phone: "+5512993450013", scenario: "sending_limited", provider: "cloud-api" },
      { name: "Marketing Bonete", phone: "+5512993450014", scenario: "sending_blocked", provider: "cloud-api" },
    ],
  },
];

export const DEMO_USERS: DemoUser[] = [
  {
    id: "7b0c3a1e-0001-4c2a-9f00-00000000a001",
    email: "ana@marazul.demo",
    name: "Ana Souza",
    role: "gerente (leitura) · Pousada Mar Azul",
    memberships: [{ tenant: "pousada-mar-azul", role: "viewer" }],
  },
  {
    id: "7b0c3a1e-0002-4c2a-9f00-00000000a002",
    email: "bruno@marazul.demo",
    name: "Bruno Lima",
    role: "admin · Pousada Mar Azul",
    memberships: [{ tenant: "pousada-mar-azul", role: "admin" }],
  },
  {
    id: "7b0c3a1e-0003-4c2a-9f00-00000000a003",
    email: "carla@serraverde.demo",
    name: "Carla Menezes",
    role: "gerente (leitura) · Casas da Serra Verde",
    memberships: [{ tenant: "serra-verde", role: "viewer" }],
  },
  {
    id: "7b0c3a1e-0004-4c2a-9f00-00000000a004",
    email: "diego@serraverde.demo",
    name: "Diego Ferreira",
    role: "admin · Casas da Serra Verde",
    memberships: [{ tenant: "serra-verde", role: "admin" }],
  },
  {
    id: "7b0c3a1e-0005-4c2a-9f00-00000000a005",
    email: "helena@ilhabela.demo",
    name: "Helena Castro",
    role: "admin · Refúgio Ilhabela + leitura · Pousada Mar Azul",
    memberships: [
      { tenant: "refugio-ilhabela", role: "admin" },
      { tenant: "pousada-mar-azul", role: "viewer" },
    ],
  },
  {
    id: "7b0c3a1e-0006-4c2a-9f00-00000000a006",
    email: "plataforma@sentinela.demo",
    name: "Equipe Sentinela",
    role: "admin da plataforma · todos os clientes",
    memberships: [],
    platformAdmin: true,
  },
];

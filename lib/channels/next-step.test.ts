import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { CHANNEL_STATES } from "@/lib/monitor/states";
import { adminDisplayName, decideNextStep, misconfigKind, type GatewayFacts, type NextStepInput, type StepState } from "./next-step";

const NOW = new Date("2026-11-30T12:00:00Z");

function input(overrides: Partial<NextStepInput> = {}): NextStepInput {
  return {
    state: "connected", reason: null, monitoringEnabled: true, nextReconnectAt: null, downSince: null, stateSince: null,
    gateway: { name: "Gateway Ubatuba", operator: null, platformRun: false, tenantChannels: 3, tenantChannelsDown: 1 }, canManage: true,
    admins: ["Bruno Lima"], now: NOW, ...overrides,
  };
}

const STATES: StepState[] = [...CHANNEL_STATES, "blocked", "restricted"];
const NO_RESTART: StepState[] = ["needs_qr", "replaced", "misconfigured", "provider_down", "blocked", "restricted"];

describe("decideNextStep: the main action follows the state", () => {
  const expected: Record<StepState, string> = {
    needs_qr: "pair", replaced: "pair", misconfigured: "fixConfig", provider_down: "none", blocked: "none",
    restricted: "none", disconnected: "reconnect", connecting: "reconnect", connected: "none", paused: "none", unknown: "none",
  };

  for (const state of STATES) {
    it(`${state}: admin gets ${expected[state]}, a viewer gets no control`, () => {
      const admin = decideNextStep(input({ state }));
      expect(admin.main).toBe(expected[state]);
      expect(admin.ask).toBeNull();
      expect(admin.offerQr).toBe(expected[state] === "pair");
      expect(admin.offerReconnect).toBe(!NO_RESTART.includes(state) && state !== "paused");

      const viewer = decideNextStep(input({ state, canManage: false }));
      expect(viewer).toMatchObject({ main: "none", offerReconnect: false, offerQr: false });
      expect(viewer.explain).toEqual(admin.explain);
    });
  }

  it("never offers a forced reconnect where a restart cannot help, nor a QR where scanning cannot", () => {
    for (const state of NO_RESTART) expect(decideNextStep(input({ state })).offerReconnect).toBe(false);
    for (const state of ["blocked", "restricted", "provider_down", "misconfigured"] as const) {
      expect(decideNextStep(input({ state })).offerQr).toBe(false);
    }
  });

  it("a paused channel offers no reconnect", () => {
    expect(decideNextStep(input({ state: "disconnected", monitoringEnabled: false })).offerReconnect).toBe(false);
  });
});

describe("decideNextStep: explanations", () => {
  it("tells a never-paired line from a logged-out one", () => {
    expect(decideNextStep(input({ state: "needs_qr", reason: "never paired: scan the QR code" })).explain?.key).toBe("neverPaired");
    expect(decideNextStep(input({ state: "needs_qr", reason: "logged out (device unlinked)" })).explain?.key).toBe("needsQr");
  });

  it("says what is wrong with the configuration, from the stored reason", () => {
    const key = (reason: string | null) => decideNextStep(input({ state: "misconfigured", reason })).explain?.key;
    expect(key("gateway rejected the API key")).toBe("misconfigured.apiKeyRejected");
    expect(key("instance not found on the gateway")).toBe("misconfigured.instanceNotFound");
    expect(key("no API key for this gateway: enter it again")).toBe("misconfigured.noKey");
    expect(key("gateway address not allowed: 10.0.0.1 (private)")).toBe("misconfigured.addressRefused");
    expect(key(null)).toBe("misconfigured.other");
    expect(misconfigKind("stored API key cannot be decrypted")).toBe("noKey");
  });

  it("a gateway down: since when, how many of the tenant's lines share it and how many are down, who runs it", () => {
    const downSince = new Date("2026-11-30T11:40:00Z");
    const gateway = (facts: Partial<GatewayFacts>) => ({ name: "GW", operator: null, platformRun: false, tenantChannels: 1, tenantChannelsDown: 1, ...facts });
    const own = decideNextStep(input({ state: "provider_down", downSince }));
    expect(own.explain).toEqual({
      key: "providerDown",
      values: { gateway: "Gateway Ubatuba", count: 3, down: 1, since: downSince, runBy: "tenant", operator: "" },
    });
    const run = decideNextStep(input({ state: "provider_down", downSince, gateway: gateway({ operator: " TI Litoral ", platformRun: true }) }));
    expect(run.explain?.values).toMatchObject({ gateway: "GW", count: 1, down: 1, runBy: "operator", operator: "TI Litoral" });
    const platform = decideNextStep(input({ state: "provider_down", gateway: gateway({ platformRun: true, tenantChannels: 4, tenantChannelsDown: 4 }) }));
    expect(platform.explain?.values).toMatchObject({ count: 4, down: 4, runBy: "platform" });
    expect(decideNextStep(input({ state: "provider_down", gateway: null })).explain?.values).toMatchObject({ gateway: "—", count: 1, down: 1, since: NOW, runBy: "unknown" });
    // This line is down even when the count was read a moment before it went down.
    expect(decideNextStep(input({ state: "provider_down", gateway: gateway({ tenantChannels: 2, tenantChannelsDown: 0 }) })).explain?.values.down).toBe(1);
  });

  it("the gateway-down sentence never says the lines sharing the gateway are down when they are not", () => {
    for (const [locale, messages] of [["pt-BR", ptBR], ["en", en]] as const) {
      const t = createTranslator({ locale, messages, namespace: "nextStep" });
      const format = (values: Record<string, string | number>) => t("providerDown", { since: "30/11/2026 09:19", gateway: "GW", operator: "", ...values });
      const shared = format({ count: 9, down: 1, runBy: "tenant" });
      expect(shared).toMatch(locale === "en" ? /9 channels of this tenant use that gateway; only this one is down now/ : /9 canais deste cliente usam esse gateway; só este está fora agora/);
      expect(format({ count: 3, down: 3, runBy: "platform" })).toMatch(locale === "en" ? /3 are down now.*Sentinela team/ : /3 estão fora agora.*equipe Sentinela/);
      expect(format({ count: 1, down: 1, runBy: "operator", operator: "TI Litoral" })).toMatch(/TI Litoral\.$/);
    }
  });

  it("shows the automatic repair's next attempt when it is ahead, else says it comes with the next check", () => {
    const at = new Date(NOW.getTime() + 2 * 60_000);
    expect(decideNextStep(input({ state: "disconnected", nextReconnectAt: at })).explain).toEqual({ key: "autoRepairAt", values: { at } });
    expect(decideNextStep(input({ state: "connecting", nextReconnectAt: new Date(NOW.getTime() - 1) })).explain?.key).toBe("autoRepairSoon");
    expect(decideNextStep(input({ state: "disconnected", monitoringEnabled: false })).explain).toBeNull();
  });

  it("a connecting line is restarted only once it has been connecting for 3 minutes: that is its next attempt", () => {
    const stateSince = new Date(NOW.getTime() - 60_000);
    const threeMinutesIn = new Date(stateSince.getTime() + 3 * 60_000);
    expect(decideNextStep(input({ state: "connecting", stateSince })).explain).toEqual({ key: "autoRepairAt", values: { at: threeMinutesIn } });
    // A backoff further out wins; a disconnected line does not wait for the connecting threshold.
    const later = new Date(NOW.getTime() + 10 * 60_000);
    expect(decideNextStep(input({ state: "connecting", stateSince, nextReconnectAt: later })).explain?.values.at).toEqual(later);
    expect(decideNextStep(input({ state: "disconnected", stateSince })).explain?.key).toBe("autoRepairSoon");
    expect(decideNextStep(input({ state: "connecting", stateSince: new Date(NOW.getTime() - 5 * 60_000) })).explain?.key).toBe("autoRepairSoon");
  });

  it("blocked and restricted carry what the provider says", () => {
    expect(decideNextStep(input({ state: "blocked", reason: "account restricted by Meta" })).explain).toEqual({ key: "blocked", values: { reason: "account restricted by Meta" } });
    expect(decideNextStep(input({ state: "restricted", reason: null })).explain).toEqual({ key: "restricted", values: { reason: "—" } });
    // Meta's words end in a full stop, and our sentence goes on after them: one full stop, not two.
    expect(decideNextStep(input({ state: "blocked", reason: "Request a review in WhatsApp Manager. " })).explain)
      .toEqual({ key: "blocked", values: { reason: "Request a review in WhatsApp Manager" } });
  });
});

describe("decideNextStep: viewers are told whom to ask", () => {
  const asks: Partial<Record<StepState, string>> = {
    needs_qr: "askPair", replaced: "askPair", misconfigured: "askFix", provider_down: "askGateway", blocked: "askProvider",
    restricted: "askProvider", disconnected: "askIfPersists", connecting: "askIfPersists",
  };
  for (const state of STATES) {
    it(`${state}: ${asks[state] ?? "nothing to ask"}`, () => {
      const viewer = decideNextStep(input({ state, canManage: false, admins: ["Bruno Lima", "Helena Castro"] }));
      expect(viewer.ask).toEqual(asks[state] ? { key: asks[state], admins: ["Bruno Lima", "Helena Castro"] } : null);
    });
  }

  it("a tenant without admins is no dead end: the sentence changes", () => {
    expect(decideNextStep(input({ state: "needs_qr", canManage: false, admins: [] })).ask).toEqual({ key: "askPairNoAdmin", admins: [] });
  });
});

describe("adminDisplayName", () => {
  it("prefers the stored name, else makes the e-mail's name part readable", () => {
    expect(adminDisplayName({ name: " Bruno Lima ", email: "bruno@marazul.demo" })).toBe("Bruno Lima");
    expect(adminDisplayName({ name: null, email: "bruno.lima@marazul.demo" })).toBe("Bruno Lima");
    expect(adminDisplayName({ name: "", email: "helena@ilhabela.demo" })).toBe("Helena");
    expect(adminDisplayName({ name: null, email: "1234@x.demo" })).toBe("1234@x.demo");
    expect(adminDisplayName({ name: null, email: null })).toBe("?");
  });
});

describe("every message the module can ask for exists in pt-BR and en", () => {
  const lookup = (messages: Record<string, unknown>, key: string) =>
    key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages.nextStep);
  const reasons = [null, "never paired: scan the QR code", "gateway rejected the API key", "instance not found on the gateway",
    "no API key for this gateway: enter it again", "gateway answered a redirect"];
  const at = new Date(NOW.getTime() + 60_000);
  it.each([["pt-BR", ptBR], ["en", en]] as const)("%s", (_, messages) => {
    const keys = new Set<string>(["title", "fixConfig", "adminName"]);
    for (const state of STATES) for (const reason of reasons) for (const canManage of [true, false]) for (const admins of [[], ["A"]]) {
      for (const operator of [null, "TI"]) for (const nextReconnectAt of [null, at]) {
        const step = decideNextStep(input({ state, reason, canManage, admins, nextReconnectAt, gateway: { name: "G", operator, platformRun: false, tenantChannels: 2, tenantChannelsDown: 1 } }));
        if (step.explain) keys.add(step.explain.key);
        if (step.ask) keys.add(step.ask.key);
      }
    }
    expect(keys.size).toBeGreaterThan(25);
    for (const key of keys) expect(typeof lookup(messages, key), key).toBe("string");
  });
});

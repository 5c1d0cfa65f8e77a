import { startEvolutionSimulator } from "@/dev/evolution-simulator/server";
import { startWahaSimulator } from "@/dev/waha-simulator/server";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import type { SharedScenario } from "@/lib/providers/contract/scenarios";
import type { ChannelTarget, Provider, ProviderKind } from "@/lib/providers/types";
import { createWahaProvider } from "@/lib/providers/waha";
import { startZapiSimulator } from "@/dev/zapi-simulator/server";
import { startCloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { createZapiProvider } from "@/lib/providers/zapi";

/**
 * One adapter and its gateway's simulator, able to play every shared scenario. Adding a gateway kind
 * means adding its fixture here (the Record makes a missing one a compile error), and then passing
 * contract.test.ts.
 */
export interface ContractFixture {
  start(): Promise<RunningFixture>;
}

export interface RunningFixture {
  /** The adapter under test, with this deadline for every call. */
  provider(timeoutMs: number): Provider;
  /** Sets the simulator so that the instance `name` plays `scenario`, and answers the target to call. */
  arrange(scenario: SharedScenario, name: string): ChannelTarget;
  /**
   * The call that answers in the scenario's way. Every scenario reads the state, except where the
   * gateway's awkward answer belongs to another operation (Evolution's 200 `{"error":true}` is its
   * restart's answer on a closed instance).
   */
  act(scenario: SharedScenario, provider: Provider, target: ChannelTarget): Promise<unknown>;
  /**
   * The HTTP status this gateway answers in a scenario, where it is not the suite's (Z-API answers its
   * refusals 400 with words: the adapter reads the words). The ProviderError kind and state still hold.
   */
  statuses?: Partial<Record<SharedScenario, number>>;
  /**
   * Scenarios this gateway cannot be in, each with why (the Cloud API has no session: nothing drops to
   * be restarted, nothing is paired with a QR code). The suite requires the reason and skips them.
   */
  notApplicable?: Partial<Record<SharedScenario, string>>;
  stop(): Promise<void>;
}

const KEY = "contract-gateway-key";

const evolution: ContractFixture = {
  async start() {
    const sim = await startEvolutionSimulator({ globalApiKey: KEY, seed: 3, connectLatencyMs: 20 });
    return {
      provider: (timeoutMs) => createEvolutionProvider({ timeoutMs }),
      arrange(scenario, name) {
        const target = { baseUrl: sim.url, instanceName: name, apiKey: KEY };
        switch (scenario) {
          case "healthy":
            sim.addInstance({ name, scenario: "healthy" });
            return target;
          case "dropped":
            sim.addInstance({ name, scenario: "drops_and_recovers", recoverAfterMs: 60_000 });
            return target;
          case "needs_qr":
            sim.addInstance({ name, scenario: "logged_out" });
            return target;
          case "wrong_key":
            sim.addInstance({ name });
            return { ...target, apiKey: "not-the-gateway-key" };
          case "unknown_instance":
            return target;
          case "gateway_down":
            sim.addInstance({ name, scenario: "gateway_down", downMode: "reset" });
            return target;
          case "garbage":
            sim.addInstance({ name, scenario: "malformed_json" });
            return target;
          case "html_error":
            sim.addInstance({ name, scenario: "gateway_down", downMode: "503" });
            return target;
          case "hang":
            sim.addInstance({ name, scenario: "gateway_down", downMode: "hang" });
            return target;
          case "error_200":
            // 2.3.6 answers a restart of a closed instance with HTTP 200 {"error":true,"message":"[object Object]"}.
            sim.addInstance({ name, scenario: "drops_and_recovers", recoverAfterMs: 60_000 });
            return target;
        }
      },
      act: async (scenario, provider, target) => (scenario === "error_200" ? provider.restart?.(target) : provider.getState(target)),
      stop: () => sim.stop(),
    };
  },
};

const waha: ContractFixture = {
  async start() {
    const sim = await startWahaSimulator({ apiKey: KEY, startLatencyMs: 20, qrWaitMs: 100 });
    return {
      provider: (timeoutMs) => createWahaProvider({ timeoutMs }),
      arrange(scenario, name) {
        const target = { baseUrl: sim.url, instanceName: name, apiKey: KEY };
        switch (scenario) {
          case "healthy":
            sim.addSession({ name, scenario: "healthy" });
            return target;
          case "dropped":
            sim.addSession({ name, scenario: "failed" });
            return target;
          case "needs_qr":
            sim.addSession({ name, scenario: "needs_qr" });
            return target;
          case "wrong_key":
            sim.addSession({ name });
            return { ...target, apiKey: "not-the-gateway-key" };
          case "unknown_instance":
            return target;
          case "gateway_down":
            sim.addSession({ name, scenario: "gateway_down", downMode: "reset" });
            return target;
          case "garbage":
            sim.addSession({ name, scenario: "malformed_json" });
            return target;
          case "html_error":
            sim.addSession({ name, scenario: "gateway_down", downMode: "502" });
            return target;
          case "hang":
            sim.addSession({ name, scenario: "gateway_down", downMode: "hang" });
            return target;
          case "error_200":
            // WAHA answers errors with their status; a proxy in front of it may not (the simulator's error_200).
            sim.addSession({ name, scenario: "error_200" });
            return target;
        }
      },
      act: (_scenario, provider, target) => provider.getState(target),
      stop: () => sim.stop(),
    };
  },
};

const ZAPI_CLIENT_TOKEN = "contract-account-security-token";

const zapi: ContractFixture = {
  async start() {
    const sim = await startZapiSimulator({ clientToken: ZAPI_CLIENT_TOKEN, restartLatencyMs: 20 });
    return {
      provider: (timeoutMs) => createZapiProvider({ timeoutMs }),
      arrange(scenario, name) {
        const token = `${name}-instance-token`;
        const target = { baseUrl: sim.url, instanceName: name, apiKey: token, clientToken: ZAPI_CLIENT_TOKEN };
        switch (scenario) {
          case "healthy":
            sim.addInstance({ id: name, token, scenario: "healthy" });
            return target;
          case "dropped":
            sim.addInstance({ id: name, token, scenario: "needs_restore" });
            return target;
          case "needs_qr":
            sim.addInstance({ id: name, token, scenario: "not_connected" });
            return target;
          case "wrong_key":
            sim.addInstance({ id: name, token });
            return { ...target, apiKey: "not-the-instance-token" };
          case "unknown_instance":
            return target;
          case "gateway_down":
            sim.addInstance({ id: name, token, scenario: "gateway_down", downMode: "reset" });
            return target;
          case "garbage":
            sim.addInstance({ id: name, token, scenario: "malformed_json" });
            return target;
          case "html_error":
            sim.addInstance({ id: name, token, scenario: "gateway_down", downMode: "502" });
            return target;
          case "hang":
            sim.addInstance({ id: name, token, scenario: "gateway_down", downMode: "hang" });
            return target;
          case "error_200":
            sim.addInstance({ id: name, token, scenario: "error_200" });
            return target;
        }
      },
      act: (_scenario, provider, target) => provider.getState(target),
      // Z-API documents no status for these refusals; the simulator answers 400 with its words.
      statuses: { wrong_key: 400, unknown_instance: 400 },
      stop: () => sim.stop(),
    };
  },
};

const cloudApi: ContractFixture = {
  async start() {
    const sim = await startCloudApiSimulator();
    return {
      provider: (timeoutMs) => createCloudApiProvider({ timeoutMs }),
      arrange(scenario, name) {
        const token = `${name}-access-token`;
        const target = { baseUrl: sim.url, instanceName: name, apiKey: token, wabaId: "300000000000003" };
        const add = (simScenario: Parameters<typeof sim.setScenario>[1]) => {
          sim.addNumber({ id: name, token, scenario: simScenario });
          return target;
        };
        switch (scenario) {
          case "healthy":
          case "dropped":
          case "needs_qr":
            return add("healthy");
          case "wrong_key":
            sim.addNumber({ id: name, token });
            return { ...target, apiKey: "not-a-graph-token" };
          case "unknown_instance":
            // The token is valid (it reads another number); the id is not one Graph knows.
            sim.addNumber({ id: `${name}-other`, token });
            return target;
          case "gateway_down":
            return add("reset");
          case "garbage":
            return add("garbage");
          case "html_error":
            return add("html_error");
          case "hang":
            return add("hang");
          case "error_200":
            return add("error_200");
        }
      },
      act: (_scenario, provider, target) => provider.getState(target),
      // Graph answers an unknown id 400 with code 100 (the adapter reads the code).
      statuses: { unknown_instance: 400 },
      notApplicable: {
        dropped: "no session: a number that cannot send is blocked or restricted, never restarted",
        needs_qr: "no QR pairing: a number is registered in WhatsApp Manager",
      },
      stop: () => sim.stop(),
    };
  },
};

export const CONTRACT_FIXTURES: Record<ProviderKind, ContractFixture> = { evolution, waha, zapi, "cloud-api": cloudApi };

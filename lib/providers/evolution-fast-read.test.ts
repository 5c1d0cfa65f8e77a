import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  connectionStateSchema, instanceListSchema, readConnectionState, readInstanceList,
} from "@/lib/providers/evolution-schemas";
import { readAnswer, type GatewayResponse } from "@/lib/providers/http";

/** The hand-checked readers (hot: every check, every listing) give exactly zod's verdicts. */

const response = (body: unknown): GatewayResponse => ({ status: 200, body, raw: JSON.stringify(body) ?? "", latencyMs: 1 });
const verdict = (read: () => unknown) => {
  try {
    return { ok: JSON.parse(JSON.stringify(read() ?? null)) as unknown };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

const state = fc.constantFrom("open", "connecting", "close", "refused", "opened", "", 1, null);
const text = fc.oneof(fc.string(), fc.constant(null), fc.constant(undefined), fc.integer());
const stateBody = fc.oneof(
  fc.jsonValue(),
  fc.record({ instance: fc.record({ instanceName: text, state }, { requiredKeys: [] }) }, { requiredKeys: [] }),
);
const row = fc.oneof(
  fc.jsonValue(),
  fc.record({ name: text, connectionStatus: text, ownerJid: text, profileName: text, token: text, other: fc.jsonValue() }, { requiredKeys: [] }),
);

describe("hand-checked readers agree with the schemas", () => {
  it("connectionState", () => {
    fc.assert(fc.property(stateBody, (body) => {
      const plain = JSON.parse(JSON.stringify(body) ?? "null") as unknown;
      expect(verdict(() => readConnectionState(response(plain), "getState")))
        .toEqual(verdict(() => readAnswer(connectionStateSchema, response(plain), "getState").instance.state));
    }), { numRuns: 500 });
  });

  it("the instance list", () => {
    fc.assert(fc.property(fc.oneof(fc.array(row, { maxLength: 5 }), fc.jsonValue()), (body) => {
      const plain = JSON.parse(JSON.stringify(body) ?? "null") as unknown;
      expect(verdict(() => readInstanceList(response(plain), "listInstances")))
        .toEqual(verdict(() => readAnswer(instanceListSchema, response(plain), "listInstances")));
    }), { numRuns: 500 });
  });
});

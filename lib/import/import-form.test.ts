import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { describeImportFailure, readImportForm, type MessageRef } from "@/lib/import/import-form";
import { ImportInputError } from "@/lib/import/name-pattern";
import { NotGlobalKeyError, ProviderError } from "@/lib/providers/types";

function lookUp(messages: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

function refsOf(state: ReturnType<typeof describeImportFailure>): MessageRef[] {
  return [...Object.values(state.errors), ...(state.formError ? [state.formError] : [])];
}

describe("readImportForm", () => {
  it("reads rules in order, drops rows without a tenant, and defaults the intent to preview", () => {
    const data = new FormData();
    data.set("gatewayUrl", " https://gw.example.com/ ");
    data.set("apiKey", " global-key-123 ");
    for (const [pattern, tenant] of [["^a-", "t1"], ["", "t2"], ["orphan", ""]]) {
      data.append("rulePattern", pattern);
      data.append("ruleTenant", tenant);
    }
    data.append("select", "a-1");
    data.append("select", "b-2");
    expect(readImportForm(data)).toEqual({
      intent: "preview",
      provider: "evolution",
      gatewayUrl: "https://gw.example.com/",
      apiKey: "global-key-123",
      wabaId: "",
      rules: [{ pattern: "^a-", tenantId: "t1" }, { pattern: "", tenantId: "t2" }],
      selected: ["a-1", "b-2"],
    });
    data.set("intent", "add");
    expect(readImportForm(data).intent).toBe("add");
    data.set("provider", " waha ");
    expect(readImportForm(data).provider).toBe("waha");
    data.set("provider", "cloud-api");
    data.set("wabaId", " 430000000000001 ");
    expect(readImportForm(data)).toMatchObject({ provider: "cloud-api", wabaId: "430000000000001" });
  });
});

describe("describeImportFailure", () => {
  const failures: unknown[] = [
    new ImportInputError("x", "gatewayUrl"),
    new ImportInputError("x", "apiKey", "required"),
    new ImportInputError("x", "apiKey"),
    new ImportInputError("x", "match"),
    new ImportInputError("x", "match", "tooLong"),
    new ImportInputError("x", "match", "nested"),
    new ImportInputError("x", "tenant", "required"),
    new ImportInputError("x", "tenant"),
    new NotGlobalKeyError("listInstances", null, 401),
    new NotGlobalKeyError("listInstances", "pousada-1"),
    ...["loopback", "private", "link-local", "metadata", "scheme", "redirect", "reserved"].map(
      (reason) => new ProviderError("misconfigured", "refused", { refused: { reason } }),
    ),
    new ProviderError("provider_down", "down"),
    new ProviderError("misconfigured", "404", { status: 404 }),
    new ImportInputError("x", "wabaId", "required"),
    new ImportInputError("x", "wabaId"),
  ];

  it.each(failures.map((failure) => [String((failure as Error).message), failure]))("%s → a message both languages have", (_, failure) => {
    const refs = refsOf(describeImportFailure(failure));
    expect(refs).toHaveLength(1);
    for (const messages of [en, ptBR]) expect(typeof lookUp(messages, refs[0].key), refs[0].key).toBe("string");
  });

  it("names the instance whose token was given", () => {
    expect(describeImportFailure(new NotGlobalKeyError("listInstances", "pousada-1")).errors.apiKey)
      .toEqual({ key: "import.errors.apiKey.instanceToken", values: { instance: "pousada-1" } });
  });

  it("for the Cloud API, Graph's refused token is the key's error and an account it cannot read the WABA id's", () => {
    const refused = describeImportFailure(new ProviderError("misconfigured", "190", { status: 401 }), "cloud-api");
    const unknown = describeImportFailure(new ProviderError("misconfigured", "100", { status: 400, notFound: true }), "cloud-api");
    expect(refused).toEqual({ errors: { apiKey: { key: "import.errors.apiKey.tokenRefused" } } });
    expect(unknown).toEqual({ errors: { wabaId: { key: "import.errors.wabaId.notFound" } } });
    for (const ref of [...refsOf(refused), ...refsOf(unknown)]) {
      for (const messages of [en, ptBR]) expect(typeof lookUp(messages, ref.key), ref.key).toBe("string");
    }
    for (const hint of ["import.hints.provider.cloud-api", "import.hints.apiKeyOf.cloud-api", "import.fields.wabaId", "import.hints.wabaId"]) {
      for (const messages of [en, ptBR]) expect(typeof lookUp(messages, hint), hint).toBe("string");
    }
  });

  it("throws on anything that is not an import failure", () => {
    expect(() => describeImportFailure(new TypeError("bug"))).toThrow(TypeError);
  });
});

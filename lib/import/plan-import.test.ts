import { describe, expect, it } from "vitest";
import { compileNamePattern, hasNestedRepetition, ImportInputError } from "@/lib/import/name-pattern";
import { countActions, maskWebhookUrl, planImport, type AssignRule } from "@/lib/import/plan-import";
import type { GatewayInstance } from "@/lib/providers/types";

const GATEWAY = "https://gw.example.com";
const centro = { id: "00000000-0000-4000-8000-000000000001", slug: "centro", name: "Pousada Centro" };
const praia = { id: "00000000-0000-4000-8000-000000000002", slug: "praia", name: "Pousada Praia" };

function instance(name: string, overrides: Partial<GatewayInstance> = {}): GatewayInstance {
  return { name, phone: "+5511987654321", connectionStatus: "open", token: `token-${name}`, profileName: null, ...overrides };
}

const everything = (tenant = centro): AssignRule[] => [{ match: null, tenant }];

describe("planImport", () => {
  it("adds every listed instance, sorted by name, with phone, state and whether it has a token", () => {
    const plan = planImport({
      gatewayUrl: GATEWAY,
      instances: [instance("b-line"), instance("a-line", { phone: null, connectionStatus: "close", token: undefined })],
      existing: new Map(),
      rules: everything(),
    });
    expect(plan).toEqual({
      gatewayUrl: GATEWAY,
      listed: 2,
      rows: [
        { name: "a-line", phone: null, state: "close", profileName: null, tenant: centro, action: "add", hasToken: false },
        { name: "b-line", phone: "+5511987654321", state: "open", profileName: null, tenant: centro, action: "add", hasToken: true },
      ],
    });
  });

  it("skips instances already added on this gateway URL, keeping the existing channel's id when visible", () => {
    const plan = planImport({
      gatewayUrl: GATEWAY,
      instances: [instance("a-line"), instance("b-line"), instance("c-line")],
      existing: new Map([["a-line", "11111111-1111-4111-8111-111111111111"], ["b-line", null]] as [string, string | null][]),
      rules: everything(),
    });
    expect(plan.rows.map((row) => [row.name, row.action, row.reason, row.channelId])).toEqual([
      ["a-line", "skip", "already_added", "11111111-1111-4111-8111-111111111111"],
      ["b-line", "skip", "already_added", undefined],
      ["c-line", "add", undefined, undefined],
    ]);
    expect(countActions(plan.rows)).toEqual({ add: 1, skip: 2 });
  });

  it("keeps only instances a rule matches, and gives each the first matching rule's tenant", () => {
    const plan = planImport({
      gatewayUrl: GATEWAY,
      instances: [instance("centro-01"), instance("praia-01"), instance("centro-praia"), instance("outro")],
      existing: new Map(),
      rules: [{ match: compileNamePattern("^centro-"), tenant: centro }, { match: compileNamePattern("praia"), tenant: praia }],
    });
    expect(plan.listed).toBe(4);
    expect(plan.rows.map((row) => [row.name, row.tenant.slug])).toEqual([
      ["centro-01", "centro"],
      ["centro-praia", "centro"],
      ["praia-01", "praia"],
    ]);
  });

  it("a global (/g) pattern matches every name the same, whatever it matched before", () => {
    const plan = planImport({
      gatewayUrl: GATEWAY,
      instances: [instance("pousada-1"), instance("pousada-2"), instance("pousada-3")],
      existing: new Map(),
      rules: [{ match: /pousada/g, tenant: centro }],
    });
    expect(plan.rows).toHaveLength(3);
  });

  it("skips names a channel cannot have (spaces, slashes, control characters) instead of failing the import", () => {
    const plan = planImport({
      gatewayUrl: GATEWAY,
      instances: [instance("with space"), instance("a/b"), instance("bidi\u202Ex"), instance("ok")],
      existing: new Map(),
      rules: everything(),
    });
    expect(plan.rows.filter((row) => row.action === "skip").map((row) => [row.name, row.reason])).toEqual([
      ["a/b", "invalid_name"],
      ["bidi\u202Ex", "invalid_name"],
      ["with space", "invalid_name"],
    ]);
  });

  it("plans a name the gateway lists twice once", () => {
    const plan = planImport({ gatewayUrl: GATEWAY, instances: [instance("twice"), instance("twice")], existing: new Map(), rules: everything() });
    expect(plan.rows.map((row) => row.name)).toEqual(["twice"]);
  });

  it("never carries a token", () => {
    const plan = planImport({ gatewayUrl: GATEWAY, instances: [instance("a-line")], existing: new Map(), rules: everything() });
    expect(JSON.stringify(plan)).not.toContain("token-a-line");
  });
});

describe("maskWebhookUrl", () => {
  it.each([
    ["https://platform.example/hook?token=abc", "https://platform.example/hook"],
    ["https://user:secret@platform.example:8443/a/b#frag", "https://platform.example:8443/a/b"],
    ["http://10.0.0.5/wh/", "http://10.0.0.5/wh/"],
  ])("%s → %s", (url, masked) => {
    expect(maskWebhookUrl(url)).toBe(masked);
  });

  it.each(["", "not a url", "ftp://files.example/x", "javascript:alert(1)"])("%j → null", (url) => {
    expect(maskWebhookUrl(url)).toBeNull();
  });
});

describe("compileNamePattern", () => {
  it("compiles a pattern as typed, matched anywhere unless anchored", () => {
    expect(compileNamePattern("praia").test("pousada-praia-2")).toBe(true);
    expect(compileNamePattern("^praia$").test("pousada-praia-2")).toBe(false);
  });

  it("refuses what is not a regular expression, saying why", () => {
    expect(() => compileNamePattern("pousada-(")).toThrow(ImportInputError);
    expect(() => compileNamePattern("pousada-(")).toThrow(/"pousada-\(" is not a valid regular expression: Unterminated group/);
  });

  it("refuses a pattern that can backtrack without end before it runs", () => {
    expect(() => compileNamePattern("^(a+)+$")).toThrow(/repeats a group that itself repeats/);
    expect(() => compileNamePattern("x".repeat(201))).toThrow(/too long/);
  });

  it.each([
    ["(a+)+", true], ["(\\w*)*", true], ["((ab)+x){2,}", true], ["(a|b+)*c", true], ["(x(y+))+", true],
    ["pousada-[0-9]+", false], ["(centro|praia)-\\d+", false], ["(a+){2}", false], ["[(a+)]+", false],
    ["\\(a+\\)+", false], ["(ab)+", false],
  ])("hasNestedRepetition(%s) = %s", (source, nested) => {
    expect(hasNestedRepetition(source)).toBe(nested);
  });
});

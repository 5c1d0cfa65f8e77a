import { afterEach, beforeEach, expect, it } from "vitest";
import { startCloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { submitImportForm, type ImportFormDeps, type ImportSubmission } from "@/lib/import/import-form";
import { member } from "@/test/channel-action-helpers";
import { forEachBackend } from "@/test/databases";
import { insertPlatformAdmin, insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * The dashboard's import form end to end below the page: a tenant admin previews and adds the ticked
 * instances; platform staff assign by pattern; nobody else gets a listing. The key is never in an answer.
 */

forEachBackend("the import form", (db) => {
  let h: Harness;
  let deps: ImportFormDeps;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.gateways, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    deps = { sql: h.sql, providers: h.deps().providers, secretKey: h.secretKey };
    h.simulator.addInstance({ name: "quarto-101", token: "token-quarto-101", scenario: "healthy" });
    h.simulator.addInstance({ name: "quarto-102", token: "token-quarto-102", scenario: "never_paired" });
    h.simulator.addInstance({
      name: "recepcao", token: "token-recepcao-01", scenario: "healthy",
      webhook: { enabled: true, url: "https://platform.example/in?secret=s3", events: ["MESSAGES_UPSERT"] },
    });
  });
  afterEach(async () => {
    await h.stop();
  });

  const submission = (overrides: Partial<ImportSubmission> = {}): ImportSubmission => ({
    intent: "preview", provider: "evolution", gatewayUrl: h.simulator.url, apiKey: GATEWAY_KEY, wabaId: "", rules: [{ pattern: "", tenantId: h.tenantId }], selected: [],
    ...overrides,
  });
  const channelNames = async () =>
    (await h.sql<{ name: string }[]>`select instance_name as name from public.channels order by 1`).map((row) => row.name);

  it("a tenant admin previews, then adds only the ticked instances; the answers never carry the key or a token", async () => {
    const importer = { kind: "tenant_admin", claims: await member(h, "admin") } as const;
    const preview = await submitImportForm(deps, importer, submission());
    expect(preview.preview?.rows.map((row) => [row.name, row.action, row.webhookUrl])).toEqual([
      ["quarto-101", "add", null],
      ["quarto-102", "add", null],
      ["recepcao", "add", "https://platform.example/in"],
    ]);
    expect(await channelNames()).toEqual([]);

    const none = await submitImportForm(deps, importer, submission({ intent: "add", selected: [] }));
    expect(none.formError).toEqual({ key: "import.errors.nothingSelected" });

    const added = await submitImportForm(deps, importer, submission({ intent: "add", selected: ["quarto-101", "recepcao"] }));
    expect(added).toEqual({ errors: {}, result: { added: 2, skipped: 0 } });
    expect(await channelNames()).toEqual(["quarto-101", "recepcao"]);
    const again = await submitImportForm(deps, importer, submission());
    expect(again.preview?.rows.map((row) => row.action)).toEqual(["skip", "add", "skip"]);
    expect(JSON.stringify([preview, added, again])).not.toMatch(/integration-gateway-key|token-|secret=s3/);
  });

  it("says what is wrong with the key or pattern, as message keys", async () => {
    const importer = { kind: "tenant_admin", claims: await member(h, "admin") } as const;
    expect((await submitImportForm(deps, importer, submission({ apiKey: "token-recepcao-01" }))).errors.apiKey)
      .toEqual({ key: "import.errors.apiKey.instanceToken", values: { instance: "recepcao" } });
    expect((await submitImportForm(deps, importer, submission({ rules: [{ pattern: "(q+)+", tenantId: h.tenantId }] }))).errors.match)
      .toEqual({ key: "import.errors.match.nested" });
  });

  it("a viewer, or a tenant the user cannot see, gets no listing", async () => {
    const viewer = { kind: "tenant_admin", claims: await member(h, "viewer") } as const;
    expect(await submitImportForm(deps, viewer, submission())).toEqual({ errors: {}, formError: { key: "import.errors.forbidden" } });
    const other = await insertTenant(h.sql);
    const admin = { kind: "tenant_admin", claims: await member(h, "admin") } as const;
    expect(await submitImportForm(deps, admin, submission({ rules: [{ pattern: "", tenantId: other.id }] })))
      .toEqual({ errors: {}, formError: { key: "import.errors.forbidden" } });
    expect(h.simulator.list().every((instance) => Object.keys(instance.calls).length === 0)).toBe(true);
  });

  it("platform staff assign instances to tenants by pattern", async () => {
    const front = await insertTenant(h.sql, { slug: "front", name: "Front desk" });
    const staff = { kind: "platform_staff", claims: { sub: (await insertPlatformAdmin(h.sql)).user_id } } as const;
    const rules = [{ pattern: "^recepcao$", tenantId: front.id }, { pattern: "^quarto-", tenantId: h.tenantId }];
    const preview = await submitImportForm(deps, staff, submission({ rules }));
    expect(preview.preview?.rows.map((row) => [row.name, row.tenantName])).toEqual([
      ["quarto-101", "Pousada Teste"], ["quarto-102", "Pousada Teste"], ["recepcao", "Front desk"],
    ]);
    const added = await submitImportForm(deps, staff, submission({ intent: "add", rules, selected: ["quarto-102", "recepcao"] }));
    expect(added.result).toEqual({ added: 2, skipped: 0 });
    const rows = await h.sql<{ name: string; tenant: string }[]>`
      select c.instance_name as name, t.slug as tenant from public.channels c join public.tenants t on t.id = c.tenant_id order by 1
    `;
    expect(rows.map((row) => [row.name, row.tenant])).toEqual([["quarto-102", expect.stringMatching(/^t-/)], ["recepcao", "front"]]);
  });
});

forEachBackend("the import form, Cloud API", (db) => {
  let h: Harness;
  let deps: ImportFormDeps;
  let graph: Awaited<ReturnType<typeof startCloudApiSimulator>>;
  const WABA = "440000000000001";
  const TOKEN = "EAAG-form-import-token";
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.gateways, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    deps = { sql: h.sql, providers: h.deps().providers, secretKey: h.secretKey };
    graph = await startCloudApiSimulator();
    graph.addNumber({ id: "1070000000001", token: TOKEN, wabaId: WABA, displayPhoneNumber: "+55 12 99123-0101", verifiedName: "Pousada Teste" });
    graph.addNumber({ id: "1070000000002", token: TOKEN, wabaId: WABA, displayPhoneNumber: "+55 12 99123-0102", verifiedName: "Pousada Teste" });
  });
  afterEach(async () => {
    await graph.stop();
    await h.stop();
  });

  const submission = (overrides: Partial<ImportSubmission> = {}): ImportSubmission => ({
    intent: "preview", provider: "cloud-api", gatewayUrl: `${graph.url}/v23.0`, apiKey: TOKEN, wabaId: WABA,
    rules: [{ pattern: "", tenantId: h.tenantId }], selected: [], ...overrides,
  });

  it("a tenant admin lists a WABA's numbers and adds the ticked one, with its WABA id and the token sealed", async () => {
    const importer = { kind: "tenant_admin", claims: await member(h, "admin") } as const;
    const preview = await submitImportForm(deps, importer, submission());
    expect(preview.preview?.rows.map((row) => [row.name, row.phone, row.state, row.action])).toEqual([
      ["1070000000001", "+5512991230101", "open", "add"],
      ["1070000000002", "+5512991230102", "open", "add"],
    ]);
    const added = await submitImportForm(deps, importer, submission({ intent: "add", selected: ["1070000000002"] }));
    expect(added).toEqual({ errors: {}, result: { added: 1, skipped: 0 } });
    const rows = await h.sql<{ name: string; provider: string; waba: string; key: string }[]>`
      select c.instance_name as name, c.provider, c.waba_id as waba, s.api_key_ciphertext as key
      from public.channels c join public.channel_secrets s on s.channel_id = c.id
    `;
    expect(rows.map((row) => ({ ...row, key: decryptSecret(row.key, h.secretKey) })))
      .toEqual([{ name: "1070000000002", provider: "cloud-api", waba: WABA, key: TOKEN }]);
    expect(JSON.stringify([preview, added])).not.toContain(TOKEN);
  });

  it("says which field is wrong: no WABA id, an account the token cannot read, a refused token", async () => {
    const importer = { kind: "tenant_admin", claims: await member(h, "admin") } as const;
    expect((await submitImportForm(deps, importer, submission({ wabaId: "" }))).errors).toEqual({ wabaId: { key: "import.errors.wabaId.required" } });
    expect((await submitImportForm(deps, importer, submission({ wabaId: "440000000000009" }))).errors).toEqual({ wabaId: { key: "import.errors.wabaId.notFound" } });
    expect((await submitImportForm(deps, importer, submission({ apiKey: "EAAG-refused-token" }))).errors).toEqual({ apiKey: { key: "import.errors.apiKey.tokenRefused" } });
    expect((await submitImportForm(deps, importer, submission({ provider: "evolution", gatewayUrl: h.simulator.url, apiKey: GATEWAY_KEY }))).errors)
      .toEqual({ wabaId: { key: "import.errors.wabaId.invalid" } });
  });
});

import { execFile } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { viewDownstream } from "@/lib/channels/downstream-view";
import { updateChannelAsAdmin } from "@/lib/channels/manage-channel";
import { currentDownstream } from "@/lib/channels/set-downstream";
import { readDownstreamRow } from "@/lib/db/downstream";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * A channel's downstream as admins edit it: secrets are shown masked and written only, kept when the
 * masked values come back, dropped when the downstream moves to another origin; and the CLI flags
 * DESIGN.md names (`--downstream-url`, `--downstream-header K=V`, `--webhook-mode`).
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["cli/main.ts", ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

forEachBackend("editing a channel's downstream", (db, backend) => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    id = await h.addChannel("recepcao", "healthy");
  });
  afterEach(async () => h.stop());

  const form = () => ({ gatewayUrl: h.simulator.url, instanceName: "recepcao", displayName: "Recepção", phoneNumber: null });
  const save = async (downstream: { webhookMode?: string; downstreamUrl: string; downstreamHeaders: string }, role: "admin" | "viewer" = "admin") =>
    updateChannelAsAdmin(actionDeps(h), await member(h, role), id, form(), { webhookMode: "adopt", ...downstream });

  it("stores what an admin types sealed, shows it masked, keeps it when the masked form comes back, drops secrets on a move", async () => {
    expect(await save({ downstreamUrl: "http://127.0.0.1:9/hook?token=abc", downstreamHeaders: "X-Platform-Key: k-123" })).toEqual({ status: "updated" });
    expect(await currentDownstream(h.sql, id, h.secretKey)).toMatchObject({
      url: "http://127.0.0.1:9/hook?token=abc", headers: { "X-Platform-Key": "k-123" },
    });
    const shown = await viewDownstream(h.sql, h.secretKey, id);
    expect(shown).toEqual({ url: "http://127.0.0.1:9/hook?token=••••", headerNames: ["X-Platform-Key"], byEvents: false, events: [] });
    expect(JSON.stringify(shown)).not.toMatch(/abc|k-123/);

    expect(await save({ webhookMode: "manage", downstreamUrl: shown!.url, downstreamHeaders: "X-Platform-Key: ••••" })).toEqual({ status: "updated" });
    expect(await currentDownstream(h.sql, id, h.secretKey)).toMatchObject({
      url: "http://127.0.0.1:9/hook?token=abc", headers: { "X-Platform-Key": "k-123" },
    });
    expect((await readDownstreamRow(h.sql, id))?.mode).toBe("manage");

    expect(await save({ downstreamUrl: "http://127.0.0.1:10/hook?token=xyz", downstreamHeaders: "X-Platform-Key: ••••" })).toEqual({
      status: "invalid", errors: { downstreamHeaders: "downstreamHeaders.retypeSecrets" },
    });
    expect(await save({ downstreamUrl: "http://127.0.0.1:10/hook?token=xyz", downstreamHeaders: "" })).toEqual({ status: "updated" });
    expect(await currentDownstream(h.sql, id, h.secretKey)).toMatchObject({ url: "http://127.0.0.1:10/hook?token=xyz", headers: {} });

    expect(await save({ downstreamUrl: "http://10.1.2.3/hook", downstreamHeaders: "" })).toEqual({
      status: "invalid", errors: { downstreamUrl: "downstreamUrl.refused" },
    });
    expect(await save({ downstreamUrl: "", downstreamHeaders: "" })).toEqual({ status: "updated" });
    expect(await readDownstreamRow(h.sql, id)).toMatchObject({ plainUrl: null, urlCiphertext: null, headersCiphertext: null });
  });

  it("refuses a viewer, changing nothing", async () => {
    expect(await save({ downstreamUrl: "http://127.0.0.1:9/hook?token=abc", downstreamHeaders: "" }, "viewer")).toEqual({ status: "forbidden" });
    expect(await readDownstreamRow(h.sql, id)).toMatchObject({ plainUrl: null, urlCiphertext: null });
  });

  it.skipIf(backend.name !== "postgres")("takes the CLI's --downstream-url, repeated --downstream-header and --webhook-mode", async () => {
    const env = { DATABASE_URL: db().url, CHANNEL_SECRET_KEY: h.secretKey };
    const edited = await cli(["channel", "edit", id, "--downstream-url", "http://127.0.0.1:9/hook?token=abc",
      "--downstream-header", "X-Platform-Key=k-123", "--downstream-header", "X-Tenant=7", "--webhook-mode", "manage"], env);
    expect(edited, edited.stderr).toMatchObject({ code: 0 });
    expect(await currentDownstream(h.sql, id, h.secretKey)).toMatchObject({
      url: "http://127.0.0.1:9/hook?token=abc", headers: { "X-Platform-Key": "k-123", "X-Tenant": "7" },
    });
    expect((await readDownstreamRow(h.sql, id))?.mode).toBe("manage");
    const bad = await cli(["channel", "edit", id, "--webhook-mode", "sometimes"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('sentinela channel: --webhook-mode must be one of adopt, manage, off, not "sometimes"');
    const header = await cli(["channel", "edit", id, "--downstream-header", "Host=evil"], env);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/header "Host" is set by the HTTP client/);
  }, 120_000);
});

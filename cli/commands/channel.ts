import { ChannelExistsError, ChannelInputError, createChannel } from "@/lib/channels/create-channel";
import { editChannel } from "@/lib/channels/edit-channel";
import { getSql } from "@/lib/db/client";
import {
  applyDownstreamEdit,
  currentDownstream,
  DownstreamEditError,
  resolveDownstreamEdit,
  vetDownstream,
  type DownstreamEdit,
} from "@/lib/channels/set-downstream";
import { ChannelNotFoundError, getChannel, listChannels, removeChannel } from "@/lib/db/channels";
import { parseHeaderArgument, WEBHOOK_MODES, type Downstream, type WebhookMode } from "@/lib/webhooks/downstream";
import { findTenantBySlug, TenantNotFoundError } from "@/lib/db/tenants";
import { channelSecretKey } from "@/lib/local-secrets";
import { credentialProblems } from "@/lib/providers/traits";
import { isProviderKind, PROVIDER_KINDS } from "@/lib/providers/types";
import { showEscaped } from "@/lib/text/plain-text";
import { parseCommandArgs, requireOption, UsageError } from "@/cli/usage";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function channelCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === "add") return addChannel(rest);
  if (sub === "edit") return editChannelCommand(rest);
  if (sub === "list") return listChannelsCommand(rest);
  if (sub === "remove") return removeChannelCommand(rest);
  throw new UsageError(`unknown channel command "${sub ?? ""}" (expected: add, edit, list, remove)`);
}

async function addChannel(args: string[]) {
  const { values } = parseCommandArgs(args, {
    tenant: { type: "string" },
    provider: { type: "string" },
    url: { type: "string" },
    instance: { type: "string" },
    "api-key": { type: "string" },
    "client-token": { type: "string" },
    "waba-id": { type: "string" },
    "app-secret": { type: "string" },
    name: { type: "string" },
    phone: { type: "string" },
    ...DOWNSTREAM_OPTIONS,
  });
  const provider = requireOption(values, "provider");
  if (!isProviderKind(provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDER_KINDS.join(", ")}, not "${showEscaped(provider.slice(0, 40))}"`);
  }
  const [credentials] = credentialProblems(provider, {
    clientToken: values["client-token"], wabaId: values["waba-id"], appSecret: values["app-secret"],
  });
  if (credentials) throw new UsageError(credentials.message);
  const downstream = downstreamEditOfArgs(values);
  await vetDownstreamArgs(null, downstream);
  const sql = await getSql();
  const tenant = await findTenantBySlug(sql, requireOption(values, "tenant")).catch((error) => {
    throw error instanceof TenantNotFoundError ? new UsageError(error.message) : error;
  });
  const instance = requireOption(values, "instance");
  try {
    const input = {
      tenantId: tenant.id,
      provider,
      gatewayUrl: requireOption(values, "url"),
      instanceName: instance,
      apiKey: requireOption(values, "api-key"),
      clientToken: values["client-token"] ?? null,
      wabaId: values["waba-id"] ?? null,
      appSecret: values["app-secret"] ?? null,
      displayName: values.name ?? instance,
      phoneNumber: values.phone ?? null,
    };
    // One transaction: the channel never exists without the downstream it was added with.
    const channel = await sql.begin(async (tx) => {
      const created = await createChannel(tx, input, channelSecretKey());
      await applyDownstreamEdit(tx, created.id, null, downstream, channelSecretKey());
      return created;
    });
    console.log(`channel ${channel.displayName} added to ${tenant.slug} (${channel.id})`);
  } catch (error) {
    if (error instanceof ChannelInputError || error instanceof ChannelExistsError) throw new UsageError(error.message);
    throw error;
  }
}

/** Changing --url, --instance or --provider needs --api-key again (lib/channels/edit-channel.ts says why). */
async function editChannelCommand(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    provider: { type: "string" },
    url: { type: "string" },
    instance: { type: "string" },
    "api-key": { type: "string" },
    "client-token": { type: "string" },
    "waba-id": { type: "string" },
    "app-secret": { type: "string" },
    name: { type: "string" },
    phone: { type: "string" },
    ...DOWNSTREAM_OPTIONS,
  }, 1);
  const id = positionals[0];
  if (!id) throw new UsageError("channel edit needs the channel ID");
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not a channel ID (a UUID)`);
  if (Object.keys(values).length === 0) {
    throw new UsageError(
      "nothing to change: give --provider, --url, --instance, --api-key, --client-token, --waba-id, --app-secret, --name, --phone, --downstream-url, --downstream-header or --webhook-mode",
    );
  }
  if (values.provider !== undefined && !isProviderKind(values.provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDER_KINDS.join(", ")}, not "${showEscaped(values.provider.slice(0, 40))}"`);
  }
  const downstream = downstreamEditOfArgs(values);
  const sql = await getSql();
  try {
    const current = await currentDownstream(sql, id, channelSecretKey());
    await vetDownstreamArgs(current, downstream);
    const changesChannel = ["provider", "url", "instance", "api-key", "client-token", "waba-id", "app-secret", "name", "phone"].some((name) => name in values);
    const channel = changesChannel
      ? await editChannel(
        sql,
        id,
        {
          provider: values.provider,
          gatewayUrl: values.url,
          instanceName: values.instance,
          apiKey: values["api-key"],
          clientToken: values["client-token"],
          wabaId: values["waba-id"],
          appSecret: values["app-secret"],
          displayName: values.name,
          phoneNumber: values.phone === undefined ? undefined : values.phone.trim() || null,
        },
        channelSecretKey(),
      )
      : await getChannel(sql, id);
    await sql.begin((tx) => applyDownstreamEdit(tx, id, current, downstream, channelSecretKey()));
    console.log(`channel ${channel.displayName} updated (${channel.id})`);
  } catch (error) {
    if (error instanceof ChannelInputError || error instanceof ChannelExistsError || error instanceof ChannelNotFoundError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

const DOWNSTREAM_OPTIONS = {
  "downstream-url": { type: "string" },
  "downstream-header": { type: "string", multiple: true },
  "webhook-mode": { type: "string" },
} as const;

/**
 * --downstream-url URL ("" removes the downstream), --downstream-header K=V (repeatable: the whole set;
 * a value of •••• keeps the stored one), --webhook-mode adopt|manage|off. A new origin drops the
 * stored headers unless they are given again (lib/channels/set-downstream.ts).
 */
function downstreamEditOfArgs(values: { "downstream-url"?: string; "downstream-header"?: string[]; "webhook-mode"?: string }): DownstreamEdit {
  const mode = values["webhook-mode"];
  if (mode !== undefined && !WEBHOOK_MODES.includes(mode as WebhookMode)) {
    throw new UsageError(`--webhook-mode must be one of ${WEBHOOK_MODES.join(", ")}, not "${mode.slice(0, 40)}"`);
  }
  let headers: Record<string, string> | undefined;
  if (values["downstream-header"]) {
    headers = {};
    for (const text of values["downstream-header"]) {
      try {
        const { name, value } = parseHeaderArgument(text);
        headers[name] = value;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
  }
  return { url: values["downstream-url"], headers, mode: mode as WebhookMode | undefined };
}

/** Refuses, before anything is written, a downstream that cannot be stored or that the forwarder may not reach. */
async function vetDownstreamArgs(current: Downstream | null, edit: DownstreamEdit): Promise<void> {
  try {
    await vetDownstream(resolveDownstreamEdit(current, edit));
  } catch (error) {
    if (error instanceof DownstreamEditError) throw new UsageError(error.message);
    throw error;
  }
}

async function listChannelsCommand(args: string[]) {
  const { values } = parseCommandArgs(args, { json: { type: "boolean" } });
  const rows = await listChannels(await getSql());
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log("no channels");
    return;
  }
  for (const row of rows) {
    console.log(
      [row.id, row.tenantSlug, row.state.padEnd(13), row.displayName, row.phoneNumber ?? "-", row.instanceName].join("  "),
    );
  }
}

async function removeChannelCommand(args: string[]) {
  const { positionals } = parseCommandArgs(args, {}, 1);
  const id = positionals[0];
  if (!id) throw new UsageError("channel remove needs the channel ID");
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not a channel ID (a UUID)`);
  try {
    await removeChannel(await getSql(), id);
  } catch (error) {
    if (error instanceof ChannelNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  console.log(`channel ${id} removed`);
}

import { ChannelExistsError, ChannelInputError, createChannel } from "@/lib/channels/create-channel";
import { editChannel } from "@/lib/channels/edit-channel";
import { getSql } from "@/lib/db/client";
import { ChannelNotFoundError, listChannels, removeChannel } from "@/lib/db/channels";
import { findTenantBySlug, TenantNotFoundError } from "@/lib/db/tenants";
import { channelSecretKey } from "@/lib/local-secrets";
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
    name: { type: "string" },
    phone: { type: "string" },
  });
  const sql = await getSql();
  const tenant = await findTenantBySlug(sql, requireOption(values, "tenant")).catch((error) => {
    throw error instanceof TenantNotFoundError ? new UsageError(error.message) : error;
  });
  const instance = requireOption(values, "instance");
  try {
    const channel = await createChannel(
      sql,
      {
        tenantId: tenant.id,
        provider: requireOption(values, "provider"),
        gatewayUrl: requireOption(values, "url"),
        instanceName: instance,
        apiKey: requireOption(values, "api-key"),
        displayName: values.name ?? instance,
        phoneNumber: values.phone ?? null,
      },
      channelSecretKey(),
    );
    console.log(`channel ${channel.displayName} added to ${tenant.slug} (${channel.id})`);
  } catch (error) {
    if (error instanceof ChannelInputError || error instanceof ChannelExistsError) throw new UsageError(error.message);
    throw error;
  }
}

/** Changing --url or --instance needs --api-key again (lib/channels/edit-channel.ts says why). */
async function editChannelCommand(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: "string" },
    instance: { type: "string" },
    "api-key": { type: "string" },
    name: { type: "string" },
    phone: { type: "string" },
  }, 1);
  const id = positionals[0];
  if (!id) throw new UsageError("channel edit needs the channel ID");
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not a channel ID (a UUID)`);
  if (Object.keys(values).length === 0) throw new UsageError("nothing to change: give --url, --instance, --api-key, --name or --phone");
  try {
    const channel = await editChannel(
      await getSql(),
      id,
      {
        gatewayUrl: values.url,
        instanceName: values.instance,
        apiKey: values["api-key"],
        displayName: values.name,
        phoneNumber: values.phone === undefined ? undefined : values.phone.trim() || null,
      },
      channelSecretKey(),
    );
    console.log(`channel ${channel.displayName} updated (${channel.id})`);
  } catch (error) {
    if (error instanceof ChannelInputError || error instanceof ChannelExistsError || error instanceof ChannelNotFoundError) {
      throw new UsageError(error.message);
    }
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

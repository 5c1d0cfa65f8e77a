import { z } from "zod";
import { PROVIDER_KINDS } from "@/lib/providers/types";
import { noForbiddenCharacters } from "@/lib/text/plain-text";

const PROVIDER_MESSAGE = "provider must be one of: " + PROVIDER_KINDS.join(", ");

/** What a person may type when adding a channel, from the CLI or the admin form. */
export const channelInputSchema = z.object({
  tenantId: z.uuid("tenant id must be a UUID"),
  // Typed as any string (a CLI flag, a form field), read as one of the kinds.
  provider: z.string(PROVIDER_MESSAGE).pipe(z.enum(PROVIDER_KINDS, PROVIDER_MESSAGE)),
  gatewayUrl: z
    .url({ protocol: /^https?$/, message: "gateway URL must be an http(s) URL" })
    .transform((url) => url.replace(/\/+$/, "")),
  instanceName: z
    .string()
    .trim()
    .min(1, "instance name is required")
    .max(200, "instance name is too long")
    .regex(/^[^/?#\s]+$/, "instance name cannot contain spaces, /, ? or #")
    .refine(...noForbiddenCharacters("instance name")),
  apiKey: z
    .string()
    .trim()
    .min(8, "API key looks too short")
    .max(500, "API key is too long")
    .refine(...noForbiddenCharacters("API key")),
  // Which kinds take these (and require them) is lib/providers/traits.ts's: checked by credentialProblems.
  clientToken: z
    .string()
    .trim()
    .min(8, "client token looks too short")
    .max(500, "client token is too long")
    .refine(...noForbiddenCharacters("client token"))
    .nullish(),
  wabaId: z
    .string()
    .trim()
    .regex(/^[0-9]{1,30}$/, "WABA id must be the WhatsApp Business Account's number id (digits only)")
    .nullish(),
  // The Meta app's secret (Cloud API): verifies X-Hub-Signature-256 on deliveries. Sealed, never shown.
  appSecret: z
    .string()
    .trim()
    .min(16, "app secret looks too short")
    .max(200, "app secret is too long")
    .regex(/^[A-Za-z0-9]+$/, "app secret must be letters and digits only, as Meta's App Dashboard shows it")
    .nullish(),
  displayName: z
    .string()
    .trim()
    .min(1, "name is required")
    .max(120, "name is too long")
    .refine(...noForbiddenCharacters("name")),
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{7,14}$/, "phone must be in E.164 form, e.g. +5512991230001")
    .nullish(),
});

export type ChannelInput = z.input<typeof channelInputSchema>;

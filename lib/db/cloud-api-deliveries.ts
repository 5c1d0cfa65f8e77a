import type { Db } from "@/lib/db/client";

/**
 * What the Cloud API receiver needs beyond any receiver's channel row (lib/db/webhook-events.ts): the
 * sealed app secret that verifies deliveries, and the account and number their events are matched to.
 * Service path only: it reads a sealed secret.
 */
export interface CloudApiDeliveryTarget {
  appSecretCiphertext: string | null;
  wabaId: string | null;
  phoneNumber: string | null;
}

export async function findCloudApiDeliveryTarget(db: Db, channelId: string): Promise<CloudApiDeliveryTarget | null> {
  const [row] = await db<CloudApiDeliveryTarget[]>`
    select sec.app_secret_ciphertext as "appSecretCiphertext", c.waba_id as "wabaId", c.phone_number as "phoneNumber"
    from public.channels c
    left join public.channel_secrets sec on sec.channel_id = c.id
    where c.id = ${channelId} and c.provider = 'cloud-api'
  `;
  return row ?? null;
}

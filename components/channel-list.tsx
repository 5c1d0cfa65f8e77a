"use client";

import { useTranslations } from "next-intl";
import { ChannelRow, type ChannelListRow } from "@/components/channel-row";
import { HeldOrderNotice, useHeldOrder } from "@/components/held-order";

export type { ChannelListRow } from "@/components/channel-row";

/**
 * One page of the tenant's channels, already filtered, sorted and cut on the server (the view is in
 * the URL: app/channels/page.tsx). A client component only so the rows travel as their compact props
 * (one string per 90-day strip) rather than as a rendered tree, and so a refresh does not reorder
 * them under the reader's eyes: the order holds until `orderKey` (the view's URL) changes or the
 * reader asks for the new one.
 */
export function ChannelList({ rows, orderKey }: { rows: ChannelListRow[]; orderKey: string }) {
  const t = useTranslations("channelList");
  const held = useHeldOrder(rows, (row) => row.id, orderKey);
  return (
    <>
      <HeldOrderNotice moved={held.moved} onApply={held.apply} />
      <ul className="space-y-2" data-testid="channel-list">
        {held.rows.map((row) => <ChannelRow key={row.id} row={row} />)}
      </ul>
      {rows.length === 0 && <p className="text-sm text-slate-600">{t("noMatch")}</p>}
    </>
  );
}

/**
 * Where an alert sends people. What must stay true: the QR link opens the channel page with its
 * re-pair panel in view (app/channels/[id]/qr-pairing-panel.tsx reads `pair=1`; `#qr-title` is its heading);
 * the query survives a detour through sign-in (lib/auth/next-path.ts keeps it), the hash only scrolls.
 */

function base(appUrl: string): string {
  return appUrl.replace(/\/+$/, "");
}

export function channelLink(appUrl: string, channelId: string): string {
  return `${base(appUrl)}/channels/${encodeURIComponent(channelId)}`;
}

export const QR_PANEL_QUERY = "pair";
export const QR_PANEL_ANCHOR = "qr-title";

export function qrPanelLink(appUrl: string, channelId: string): string {
  return `${channelLink(appUrl, channelId)}?${QR_PANEL_QUERY}=1#${QR_PANEL_ANCHOR}`;
}

export function incidentsLink(appUrl: string): string {
  return `${base(appUrl)}/incidents`;
}

export function alertSettingsLink(appUrl: string): string {
  return `${base(appUrl)}/settings/alerts`;
}

/**
 * The channel form's "platform webhook" part: webhook mode, downstream URL and headers, as typed. The
 * edit page fills them with the masked stored values (lib/channels/downstream-view.ts); what comes back
 * unchanged keeps what is stored. No imports: the form (a client component) uses this module too.
 */

export interface DownstreamFormValues {
  webhookMode: string;
  downstreamUrl: string;
  /** `Name: value` per line. */
  downstreamHeaders: string;
}

export const NEW_CHANNEL_DOWNSTREAM: DownstreamFormValues = { webhookMode: "adopt", downstreamUrl: "", downstreamHeaders: "" };

export function readDownstreamForm(data: FormData): DownstreamFormValues {
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value : "";
  };
  return { webhookMode: text("webhookMode") || "adopt", downstreamUrl: text("downstreamUrl").trim(), downstreamHeaders: text("downstreamHeaders") };
}

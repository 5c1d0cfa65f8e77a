import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { NextStep, StepMessage } from "@/lib/channels/next-step";
import { formatMoment, formatRelative } from "@/lib/format/date-time";

interface Props {
  step: NextStep;
  now: Date;
  timeZone: string;
}

/**
 * The channel's next step in words (lib/channels/next-step.ts decides it): what is wrong and what
 * happens next, and, for a viewer, whom to ask. Renders nothing when the state says it all.
 */
export async function ChannelNextStep({ step, now, timeZone }: Props) {
  if (!step.explain && !step.ask) return null;
  const t = await getTranslations("nextStep");
  const format = await getFormatter();
  const locale = await getLocale();
  // `since` reads as a time of day in the tenant's zone; `at` (the next attempt) as "in 2 minutes".
  const values = (message: StepMessage) =>
    Object.fromEntries(Object.entries(message.values).map(([name, value]) => [
      name,
      !(value instanceof Date) ? value
        : name === "at" ? formatRelative(value, now, locale)
        : formatMoment(value, now, locale, timeZone),
    ]));
  const admins = step.ask && format.list(step.ask.admins.map((name) => t("adminName", { name })), { type: "disjunction" });

  return (
    <section aria-labelledby="next-step-title" data-testid="next-step" data-main={step.main}
      className="rounded-lg border border-l-4 border-slate-200 border-l-brand-700 bg-white p-4 text-sm text-slate-900">
      <h2 id="next-step-title" className="text-base font-semibold">{t("title")}</h2>
      {step.explain && <p className="mt-1" data-testid="next-step-explain">{t(step.explain.key, values(step.explain))}</p>}
      {step.ask && <p className="mt-1 font-medium" data-testid="next-step-ask">{t(step.ask.key, { admins: admins ?? "" })}</p>}
    </section>
  );
}

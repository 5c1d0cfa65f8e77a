import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, localeFromAcceptLanguage, resolveLocale } from "@/i18n/locales";

/**
 * The language picked in the app (a cookie, not the URL) wins; without one, the browser's
 * Accept-Language (so sign-in is in English for an English browser); Portuguese otherwise.
 */
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = chosen ? resolveLocale(chosen) : localeFromAcceptLanguage((await headers()).get("accept-language"));
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    timeZone: "America/Sao_Paulo",
  };
});

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignedInShell } from "@/app/_shell/signed-in-shell";
import { getVerifiedClaims } from "@/lib/auth/session";
import { getSession } from "@/lib/tenancy/current-viewer";

/**
 * Every 404 (an unknown address, a channel that is gone or another tenant's): Sentinela's own page in
 * the reader's language, inside the signed-in shell when there is a session (the proxy sends the
 * signed-out to sign-in, so the plain page is only a fallback), always with a way back.
 */
export default async function NotFound() {
  const t = await getTranslations("notFoundPage");
  const signedIn = (await getVerifiedClaims()) !== null;
  const content = (
    <section aria-labelledby="not-found-heading" data-testid="not-found" className="mx-auto max-w-lg py-10 text-center">
      <p aria-hidden="true" className="text-5xl font-bold text-brand-700">404</p>
      <h1 id="not-found-heading" className="mt-2 text-2xl font-semibold text-slate-900">{t("title")}</h1>
      <p className="mt-2 text-slate-700">{t("body")}</p>
      <Link
        href={signedIn ? "/channels" : "/sign-in"}
        className="mt-6 inline-block rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900"
      >
        {signedIn ? t("back") : t("signIn")}
      </Link>
    </section>
  );
  if (!signedIn) return <main id="main" className="px-4">{content}</main>;
  const { viewer } = await getSession();
  return <SignedInShell viewer={viewer}>{content}</SignedInShell>;
}

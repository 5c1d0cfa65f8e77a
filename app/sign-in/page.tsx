import { redirect } from "next/navigation";
import { getLocale } from "next-intl/server";
import { safeNextPath } from "@/lib/auth/next-path";
import { getVerifiedClaims } from "@/lib/auth/session";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-data";
import { env } from "@/lib/env";
import { signInAsDemoUser } from "./actions";
import { SignInForm } from "./sign-in-form";
import { signInStrings, type SignInStrings } from "./strings";

export async function generateMetadata() {
  return { title: signInStrings(await getLocale()).pageTitle };
}

const queryErrors = (t: SignInStrings): Record<string, string> => ({
  link: t.errors.linkInvalid,
  demo: t.errors.demoOnly,
  credentials: t.errors.invalidCredentials,
  unavailable: t.errors.unavailable,
});

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getVerifiedClaims()) redirect(next);
  const t = signInStrings(await getLocale());
  const queryError = typeof params.error === "string" ? queryErrors(t)[params.error] : undefined;
  const demo = env().SENTINELA_DEMO === "1";

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-8 px-4 py-10">
      <section aria-labelledby="sign-in-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 id="sign-in-heading" className="text-2xl font-semibold text-slate-900">
          {t.heading}
        </h1>
        <p className="mt-1 mb-6 text-sm text-slate-600">{t.intro}</p>
        <SignInForm next={next} initialError={queryError} />
      </section>
      {demo ? <DemoUsers next={next} t={t} /> : null}
    </main>
  );
}

function DemoUsers({ next, t }: { next: string; t: SignInStrings }) {
  return (
    <section aria-labelledby="demo-heading" className="rounded-xl border border-amber-200 bg-amber-50 p-6">
      <h2 id="demo-heading" className="text-lg font-semibold text-amber-950">
        {t.demo.heading}
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        {t.demo.intro} <code className="rounded bg-amber-100 px-1 py-0.5 font-mono">{DEMO_PASSWORD}</code>.
      </p>
      <ul className="mt-4 space-y-2">
        {DEMO_USERS.map((user) => (
          <li key={user.id}>
            <form action={signInAsDemoUser} className="flex flex-col gap-2 rounded-lg bg-white p-3 shadow-sm sm:flex-row sm:items-center sm:justify-between">
              <input type="hidden" name="email" value={user.email} />
              <input type="hidden" name="next" value={next} />
              <div className="min-w-0">
                <p className="font-medium text-slate-900">{user.name}</p>
                <p className="text-sm text-slate-600">{user.role}</p>
                <p className="truncate text-xs text-slate-500">{user.email}</p>
              </div>
              <button
                type="submit"
                aria-label={t.demo.signInAs(user.name)}
                className="shrink-0 rounded-md border border-emerald-700 px-3 py-2 text-sm font-semibold text-emerald-800 hover:bg-emerald-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
              >
                {t.demo.signInAsShort}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

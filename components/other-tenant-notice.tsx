/**
 * Shown on a page about another tenant than the one in the header's switcher (a link from an alert, or
 * a user with several tenants following a link from /admin): the header must never let someone act
 * believing they are in the other tenant. The switch is a form post (a server action), never a GET, so
 * no prefetch or crafted link can change the active tenant.
 */
export function OtherTenantNotice({ text, switchLabel, tenantSlug, action }: {
  text: string;
  switchLabel: string;
  tenantSlug: string;
  action: (data: FormData) => Promise<void>;
}) {
  return (
    <div role="status" data-testid="other-tenant-notice"
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p>{text}</p>
      <form action={action}>
        <input type="hidden" name="tenant" value={tenantSlug} />
        <button type="submit" className="rounded-md bg-amber-900 px-3 py-1.5 font-medium text-white hover:bg-amber-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-900">
          {switchLabel}
        </button>
      </form>
    </div>
  );
}

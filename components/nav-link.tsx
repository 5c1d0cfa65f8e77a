"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A header link that says so (aria-current and a visible mark) when its section is the current page. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded px-2 py-1 hover:bg-slate-100 ${current ? "bg-brand-50 text-brand-900 underline decoration-2 underline-offset-4" : "text-slate-700"}`}
    >
      {children}
    </Link>
  );
}

import { notFound } from "next/navigation";
import { SignedInShell } from "@/app/_shell/signed-in-shell";
import { getSession } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

/** Platform staff only: anyone else gets the same 404 as a page that does not exist. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await getSession();
  if (!viewer.platformAdmin) notFound();
  return <SignedInShell viewer={viewer}>{children}</SignedInShell>;
}

import { SignedInShell } from "@/app/_shell/signed-in-shell";
import { getSession } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await getSession();
  return <SignedInShell viewer={viewer}>{children}</SignedInShell>;
}

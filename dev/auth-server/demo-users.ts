import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-data";
import type { AuthUserSeed } from "./session-store";

/** The demo users as the local auth server seeds them: same ids as `sentinela seed --demo` writes. */
export const demoAuthUsers: AuthUserSeed[] = DEMO_USERS.map((user) => ({
  id: user.id,
  email: user.email,
  password: DEMO_PASSWORD,
  userMetadata: { name: user.name, full_name: user.name },
}));

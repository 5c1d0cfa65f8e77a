import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Session cookies are httpOnly (lib/supabase/cookie-options.ts): a browser Supabase client could not
    // see the session, and nothing may make us loosen that. Auth goes through server actions.
    rules: {
      "no-restricted-imports": ["error", {
        paths: [
          { name: "@/lib/supabase/client", message: "No browser Supabase client: the session cookies are httpOnly. Use a server action." },
          { name: "@supabase/ssr", importNames: ["createBrowserClient"], message: "No browser Supabase client: the session cookies are httpOnly." },
        ],
      }],
    },
  },
  {
    files: ["lib/supabase/client.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  globalIgnores([".next/**", "out/**", "build/**", "dist/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**"]),
]);

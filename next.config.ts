import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import createNextIntlPlugin from "next-intl/plugin";

/**
 * The browser talks only to this origin (sign-in goes through server actions; the Supabase browser
 * client is not used), so connect-src is 'self'. Next's bootstrap scripts and Recharts' inline styles
 * need 'unsafe-inline'; the dev server's hot reload also needs eval, production never gets it.
 */
function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function securityHeaders(dev: boolean) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}

export default function config(phase: string): NextConfig {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  const nextConfig: NextConfig = {
    // PGlite ships WASM and postgres.js opens sockets: load them from node_modules at run time.
    serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres", "ws"],
    poweredByHeader: false,
    // Z-API deliveries carry the channel's webhook secret in the path (Z-API sends no header): the dev
    // server's request log must never print it. Production (next start) logs no requests.
    logging: { incomingRequests: { ignore: [/\/api\/webhooks\/zapi\//] } },
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(dev) }];
    },
  };
  return createNextIntlPlugin("./i18n/request.ts")(nextConfig);
}

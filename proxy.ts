import { NextResponse, type NextRequest } from "next/server";
import { classifyPath, type PathAccess } from "@/lib/auth/access-policy";
import { signInPath } from "@/lib/auth/next-path";
import { EnvError } from "@/lib/env";
import { HSTS_VALUE, isCrossOrigin, isHttpsRequest, isServerActionRequest } from "@/lib/http/request-origin";
import { updateSession } from "@/lib/supabase/proxy";

/**
 * The session gate. Every page needs a verified session; API routes other than the machine ones
 * (cron, health, webhooks: they authenticate themselves) answer 401 without one. Must fail closed:
 * missing Supabase configuration is a 500, never a pass. Pages and actions still authorize what they
 * do (requireClaims, RLS): this only turns away the signed-out. Also answers a cross-origin server
 * action (or any cross-origin form post outside the machine routes) 403, and adds HSTS to every
 * response that went out over https (next.config.ts headers cannot see the scheme).
 */
export async function proxy(request: NextRequest) {
  const response = await gate(request);
  if (isHttpsRequest(request.headers, request.nextUrl)) response.headers.set("strict-transport-security", HSTS_VALUE);
  return response;
}

async function gate(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const access = classifyPath(pathname);
  if (access === "machine") return NextResponse.next();
  // Next would refuse it too, but with a 500 after reading the session; a forged form is our 403.
  if (isServerActionRequest(request.method, request.headers) && isCrossOrigin(request.headers)) {
    const body = { error: { code: "cross_origin", message: "Server actions are only accepted from this site." } };
    return NextResponse.json(body, { status: 403, headers: { "cache-control": "no-store" } });
  }

  let session;
  try {
    session = await updateSession(request);
  } catch (error) {
    if (error instanceof EnvError) return misconfigured(access, error);
    throw error;
  }
  if (session.claims || access === "auth") return session.response;

  if (access === "api") {
    const body = { error: { code: "unauthorized", message: "Sign in to use this API." } };
    return withSessionCookies(NextResponse.json(body, { status: 401 }), session.response);
  }
  const target = new URL(signInPath(`${pathname}${search}`), request.url);
  return withSessionCookies(NextResponse.redirect(target), session.response);
}

/** A failed refresh clears the session cookies; that must reach the browser whatever we answer. */
function withSessionCookies(response: NextResponse, from: NextResponse): NextResponse {
  for (const cookie of from.cookies.getAll()) response.cookies.set(cookie);
  for (const header of ["cache-control", "expires", "pragma"]) {
    const value = from.headers.get(header);
    if (value !== null) response.headers.set(header, value);
  }
  return response;
}

function misconfigured(access: PathAccess, error: EnvError): NextResponse {
  console.error(`[proxy] ${error.message}`);
  if (access === "api") {
    return NextResponse.json({ error: { code: "misconfigured", message: error.message } }, { status: 500 });
  }
  return new NextResponse(`${error.message}\n\nSign-in is unavailable until this is configured.`, {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

export const config = {
  // Everything except build output, image optimisation and static files outside /api. Matching too
  // much costs a cookie read; matching too little would let a request through unchecked.
  matcher: [
    "/((?!_next/static|_next/image|favicon\\.ico$|robots\\.txt$|sitemap\\.xml$|(?!api/).*\\.(?:svg|png|jpg|jpeg|gif|webp|avif|ico|woff2?|css|js|map|txt)$).*)",
  ],
};

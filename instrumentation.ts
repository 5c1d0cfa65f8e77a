/**
 * Runs once when the server starts. NEXT_RUNTIME is Next's own marker of which runtime is loading this
 * (not configuration): the start-up check lives in a Node-only module, as Next's docs prescribe.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

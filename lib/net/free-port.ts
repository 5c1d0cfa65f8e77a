import { createServer } from "node:net";

/**
 * Whether a port can be listened on right now, found the only reliable way: by listening. A connect
 * probe misses a port held by an outgoing connection's local end (or its TIME_WAIT), which is exactly
 * what made `npm run demo` fail with EADDRINUSE on a port inside Linux's ephemeral range.
 */
export function canListen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free now (it may lie in the ephemeral range: a last resort, not a default). */
export function anyFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

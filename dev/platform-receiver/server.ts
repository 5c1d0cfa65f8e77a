import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the platform's own webhook endpoint (the downstream Sentinela forwards to): records
 * and counts every POST, answers 200, or 503 while told to fail, or 401 when a header it requires is
 * missing or wrong (as a platform checking its token would). `GET /__stats` answers the counts. Used by
 * the demo (so forwarding is visible) and by tests (as the downstream). Never imported by app/ or lib/.
 */

export interface PlatformDelivery {
  /** Path and query exactly as requested (per-event URLs included). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `event` and `instance` from the body when it is a gateway event. */
  event: string | null;
  instance: string | null;
  status: number;
  at: Date;
}

export interface PlatformReceiverOptions {
  port?: number;
  host?: string;
  /** Deliveries without this header value are answered 401. */
  requireHeader?: { name: string; value: string };
  log?: (line: string) => void;
}

export interface PlatformReceiver {
  url: string;
  port: number;
  /** Every POST, answered or refused, in arrival order. */
  received: PlatformDelivery[];
  /** Only those answered 2xx. */
  accepted(): PlatformDelivery[];
  /** Answer 503 while this says so (a flag, or asked per request: e.g. a test's simulated clock). */
  failWhile(failing: boolean | (() => boolean)): void;
  /** Answer each request after this many ms (to make overlapping senders overlap). */
  delay(ms: number): void;
  stats(): { received: number; accepted: number; byEvent: Record<string, number>; byInstance: Record<string, number> };
  stop(): Promise<void>;
}

function gatewayFields(body: Buffer): { event: string | null; instance: string | null } {
  try {
    const json = JSON.parse(body.toString("utf8")) as { event?: unknown; instance?: unknown };
    return {
      event: typeof json.event === "string" ? json.event : null,
      instance: typeof json.instance === "string" ? json.instance : null,
    };
  } catch {
    return { event: null, instance: null };
  }
}

export async function startPlatformReceiver(options: PlatformReceiverOptions = {}): Promise<PlatformReceiver> {
  const received: PlatformDelivery[] = [];
  let failing: () => boolean = () => false;
  let delayMs = 0;
  const accepted = () => received.filter((delivery) => delivery.status < 300);
  const count = (key: "event" | "instance") =>
    accepted().reduce<Record<string, number>>((acc, d) => ({ ...acc, [d[key] ?? "(none)"]: (acc[d[key] ?? "(none)"] ?? 0) + 1 }), {});
  const stats = () => ({ received: received.length, accepted: accepted().length, byEvent: count("event"), byInstance: count("instance") });

  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/__stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats()));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const required = options.requireHeader;
      const status = req.method !== "POST" ? 405
        : required && req.headers[required.name.toLowerCase()] !== required.value ? 401
        : failing() ? 503
        : 200;
      const delivery = { path: req.url ?? "/", headers: req.headers, body, ...gatewayFields(body), status, at: new Date() };
      received.push(delivery);
      options.log?.(`platform stand-in: ${status} ${delivery.event ?? "(not an event)"} for ${delivery.instance ?? "?"} at ${delivery.path.split("?")[0]}`);
      setTimeout(() => res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? '{"ok":true}' : '{"ok":false}'), delayMs);
    });
  });
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    received,
    accepted,
    failWhile(value) {
      failing = typeof value === "function" ? value : () => value;
    },
    delay(ms) {
      delayMs = ms;
    },
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

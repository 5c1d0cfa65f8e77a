import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

/**
 * Serves `POST /api/webhooks/evolution/<channel id>` over real HTTP by handing each request, as a
 * fetch Request, to a route handler (the app's own route, or the library handler with injected deps),
 * so the simulator delivers to it exactly as it would to the deployed app. Every delivery is recorded in
 * the order it was answered, with the outcome the receiver reported.
 */

export interface RecordedDelivery {
  channelId: string;
  body: string;
  status: number;
  outcome?: string;
}

export interface ReceiverServer {
  /** Base URL (what APP_URL would be). */
  url: string;
  deliveries: RecordedDelivery[];
  stop(): Promise<void>;
}

export type RouteHandler = (request: Request, channelId: string) => Promise<Response>;

const ROUTE = /^\/api\/webhooks\/evolution\/([^/]+)$/;

async function serve(handler: RouteHandler, req: IncomingMessage, res: ServerResponse, deliveries: RecordedDelivery[]) {
  const url = new URL(req.url ?? "/", "http://receiver");
  const match = ROUTE.exec(url.pathname);
  if (req.method !== "POST" || !match) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const request = new Request(url, {
    method: "POST",
    headers,
    body: Readable.toWeb(Readable.from([body])) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const response = await handler(request, decodeURIComponent(match[1]));
  const text = await response.text();
  let outcome: string | undefined;
  try {
    outcome = (JSON.parse(text) as { outcome?: string }).outcome;
  } catch {
    outcome = undefined;
  }
  deliveries.push({ channelId: match[1], body: body.toString("utf8"), status: response.status, outcome });
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" }).end(text);
}

export async function startReceiverServer(handler: RouteHandler): Promise<ReceiverServer> {
  const deliveries: RecordedDelivery[] = [];
  const server = createServer((req, res) => {
    serve(handler, req, res, deliveries).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  port: number;
  activityId: string;
  type: string;
  /** The activity as it arrived. */
  body: Record<string, unknown>;
}

export interface InboxSink {
  ports: number[];
  deliveries: Delivery[];
  /** Distinct (inbox, activity) pairs received. */
  distinct(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for remote servers we cannot reach from here (a fake of the outside world): each
 * port is one "instance" whose shared inbox answers 202 after `delayMs`.
 */
export async function startInboxSink(
  count: number,
  delayMs = 0,
  statusFor: (port: number) => number = () => 202,
): Promise<InboxSink> {
  const deliveries: Delivery[] = [];
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const port = (server.address() as AddressInfo).port;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
          setTimeout(() => {
            deliveries.push({ port, activityId: String(body.id ?? ""), type: String(body.type ?? ""), body });
            res.writeHead(statusFor(port)).end();
          }, delayMs);
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
  return {
    ports,
    deliveries,
    distinct: () => new Set(deliveries.map((d) => `${d.port} ${d.activityId}`)).size,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
        () => {},
      ),
  };
}

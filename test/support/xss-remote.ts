import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { signRequest } from "@fedify/fedify";
import { type Account, getKeyPairs } from "../../server/domain/accounts.ts";
import { sampleImages } from "./images.ts";
import type { InProcessInstance } from "./instance.ts";
import { waitFor } from "./ports.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const AS = "https://www.w3.org/ns/activitystreams";
// What Mastodon sends with profile fields: PropertyValue and its value come from schema.org.
const PROFILE_CONTEXT = [
  AS,
  "https://w3id.org/security/v1",
  { schema: "http://schema.org#", PropertyValue: "schema:PropertyValue", value: "schema:value" },
];

/** Hostile activities from real actors of a second instance, signed with their real keys. */
export class RemoteSender {
  #counter = 0;
  readonly #documents = new Map<string, Record<string, unknown>>();

  constructor(
    readonly remote: InProcessInstance,
    readonly home: InProcessInstance,
  ) {}

  actorId(account: Account): string {
    return new URL(`/users/${account.username}`, this.remote.url).href;
  }

  /** POSTs a signed activity to the home instance's shared inbox. */
  async send(account: Account, activity: Record<string, unknown>): Promise<number> {
    const [rsa] = await getKeyPairs(this.remote.db, account.id);
    if (!rsa) throw new Error("no key");
    const request = new Request(new URL("/inbox", this.home.url), {
      method: "POST",
      headers: { "Content-Type": "application/activity+json" },
      body: JSON.stringify(activity),
    });
    const keyId = new URL(`${this.actorId(account)}#main-key`);
    const response = await fetch(await signRequest(request, rsa.privateKey, keyId));
    await response.body?.cancel();
    return response.status;
  }

  /** Create of an object attributed to the account, on its origin (so rules 2 and 3 let it in). */
  create(account: Account, object: Record<string, unknown>): Record<string, unknown> {
    const actor = this.actorId(account);
    const n = ++this.#counter;
    return {
      "@context": AS,
      id: `${actor}/activities/create-${n}`,
      type: "Create",
      actor,
      to: [PUBLIC],
      object: {
        id: `${actor}/objects/${n}`,
        attributedTo: actor,
        to: [PUBLIC],
        published: new Date(Date.now() - n * 1000).toISOString(),
        ...object,
      },
    };
  }

  /** Follow of a local actor of the home instance (answered with an Accept we let go unread). */
  follow(account: Account, target: string): Record<string, unknown> {
    const actor = this.actorId(account);
    return {
      "@context": AS,
      id: `${actor}/follows/${++this.#counter}`,
      type: "Follow",
      actor,
      object: target,
    };
  }

  /** Update of the actor itself: its own document (fetched once) with the given fields replaced. */
  async updateProfile(account: Account, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    const actor = this.actorId(account);
    let document = this.#documents.get(actor);
    if (!document) {
      const response = await fetch(actor, { headers: { Accept: "application/activity+json" } });
      document = (await response.json()) as Record<string, unknown>;
      this.#documents.set(actor, document);
    }
    return {
      "@context": PROFILE_CONTEXT,
      id: `${actor}/activities/update-${++this.#counter}`,
      type: "Update",
      actor,
      to: [PUBLIC],
      object: { ...document, "@context": undefined, ...fields },
    };
  }

  /** Waits until the home instance has handled everything queued (inbox work is asynchronous). */
  async drained(): Promise<void> {
    await waitFor(
      async () => {
        const [row] = await this.home.database.sql<
          { n: number }[]
        >`SELECT count(*)::int AS n FROM queue_messages`;
        return row?.n === 0;
      },
      { what: "the inbox queue to drain", intervalMs: 50 },
    );
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

export interface ImageServer {
  base: string;
  close(): Promise<void>;
}

/** Answers every path with a PNG, so image URLs can carry payloads in their path and query. */
export async function startAnyPathImageServer(): Promise<ImageServer> {
  const png = (await sampleImages())["logo.png"]!.body;
  const server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "image/png" }).end(png));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import { AsyncLocalStorage } from "node:async_hooks";
import { signRequest } from "@fedify/fedify";
import { configure, defaultTextFormatter, type LogRecord } from "@logtape/logtape";
import { type Account, createAccount, getKeyPairs } from "../../server/domain/accounts.ts";
import { listFollowing } from "../../server/domain/follows.ts";
import { createPost, preparePost } from "../../server/domain/posts.ts";
import type { AppOptions } from "../../server/http/app.ts";
import { followRemote } from "../../server/services/following.ts";
import { publishPost } from "../../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./instance.ts";
import { waitFor } from "./ports.ts";

/** The two remote accounts that sign fuzzed activities: an honest peer and an attacker. */
export type Who = "peer" | "mallory";

export interface Signer {
  id: string;
  keyId: URL;
  key: CryptoKey;
}

/**
 * The instance under attack (`home`) and the one whose real actors and keys sign (`remote`).
 * Home's library follows both remote accounts, so their valid posts are kept: a forged activity
 * then has something to overwrite, and a valid one something to create.
 */
export interface FuzzWorld {
  home: InProcessInstance;
  remote: InProcessInstance;
  signers: Record<Who, Signer>;
  /** The home library's actor and one of its articles (what Likes, Announces and Follows name). */
  lib: string;
  homeItem: string;
  /** Remote notes already stored at home before the run: targets of Update and Delete. */
  seeded: string[];
  /** A real article on the remote instance that was never delivered (fetchable by id). */
  undelivered: string;
  stop(): Promise<void>;
}

async function signerOf(remote: InProcessInstance, account: Account): Promise<Signer> {
  const [rsa] = await getKeyPairs(remote.db, account.id);
  if (!rsa) throw new Error(`no key for ${account.username}`);
  const id = new URL(`/users/${account.username}`, remote.url).href;
  return { id, keyId: new URL(`${id}#main-key`), key: rsa.privateKey };
}

/** Waits until `instance` has handled everything queued (inbox work is asynchronous). */
export async function drained(instance: InProcessInstance, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const [row] = await instance.database.sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM queue_messages`;
      return row?.n === 0;
    },
    { timeoutMs, intervalMs: 200, what: "the queue to drain" },
  );
}

export async function startFuzzWorld(appOptions: AppOptions = {}): Promise<FuzzWorld> {
  const [home, remote] = await Promise.all([startInProcess({}, appOptions), startInProcess({}, appOptions)]);
  try {
    const library = await createAccount(home.db, { username: "lib", name: "Home library" });
    const accounts = {
      peer: await createAccount(remote.db, { username: "peer", name: "Peer library" }),
      mallory: await createAccount(remote.db, { username: "mallory", name: "Mallory" }),
    };
    const signers = {
      peer: await signerOf(remote, accounts.peer),
      mallory: await signerOf(remote, accounts.mallory),
    };
    await followRemote(home, library, signers.peer.id);
    await followRemote(home, library, signers.mallory.id);
    await waitFor(
      async () => (await listFollowing(home.db, library.id)).every((f) => f.state === "accepted"),
      { what: "follows accepted" },
    );
    const item = await publishPost(home, library, {
      title: "Reading week",
      summary: "Events all week.",
      content: "<p>Join us.</p>",
      language: "en",
    });
    const undelivered = await createPost(
      remote.db,
      remote.url,
      accounts.peer,
      preparePost({
        title: "Never delivered",
        summary: "Only fetchable.",
        content: "<p>body</p>",
        language: "en",
      }),
    );
    const seeded: string[] = [];
    for (const who of ["peer", "mallory"] as const) {
      for (let i = 0; i < 3; i++) {
        const s = signers[who];
        const id = `${s.id}/seeded/${i}`;
        const body = JSON.stringify({
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${id}/activity`,
          type: "Create",
          actor: s.id,
          object: { id, type: "Note", attributedTo: s.id, content: `<p>seeded ${i}</p>`, to: PUBLIC },
        });
        const request = new Request(new URL("/inbox", home.url), {
          method: "POST",
          headers: { "Content-Type": "application/activity+json" },
          body,
        });
        const response = await fetch(await signRequest(request, s.key, s.keyId));
        if (response.status !== 202) throw new Error(`seeding answered ${response.status}`);
        seeded.push(id);
      }
    }
    await waitFor(
      async () => {
        const [row] = await home.database.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM items WHERE iri = ANY(${seeded})`;
        return row?.n === seeded.length;
      },
      { what: "seeded notes stored" },
    );
    await Promise.all([drained(home), drained(remote)]);
    return {
      home,
      remote,
      signers,
      lib: new URL("/users/lib", home.url).href,
      homeItem: item.iri,
      seeded,
      undelivered: undelivered.iri,
      stop: () => Promise.all([home.stop(), remote.stop()]).then(() => {}),
    };
  } catch (error) {
    await Promise.all([home.stop(), remote.stop()]);
    throw error;
  }
}

export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/**
 * ERROR lines that mean work failed after the inbox took it: a handler threw (and is retried), or
 * our own code logged an error. Fedify also logs its refusals at the door as ERRORs (echoed by our
 * inbox error handler): those are expected for hostile input.
 */
export function failuresAfterAccept(lines: string[]): string[] {
  const afterAccept = /Failed to (process|enqueue) the incoming activity|unexpected error occurred/;
  const ours = /\] baltic·/;
  return lines.filter((l) => afterAccept.test(l) || (ours.test(l) && !l.includes("Inbox handler failed")));
}

/**
 * Activities Fedify accepted (202) and then dropped when its queue parsed them again, e.g. with a
 * malformed `signature` property: nothing is stored, but the sender was told otherwise.
 */
export function droppedAfterAccept(lines: string[]): string[] {
  return lines.filter((l) => l.includes("Failed to parse the queued incoming activity"));
}

/**
 * Routes LogTape to a sink that keeps ERROR and FATAL records (a handler that threw, an
 * unexpected failure), echoing each to `echo` when given.
 */
export async function captureErrorLogs(echo?: (line: string) => void): Promise<string[]> {
  const errors: string[] = [];
  const sink = (record: LogRecord) => {
    const line = defaultTextFormatter(record);
    if (record.level === "error" || record.level === "fatal") errors.push(line);
    echo?.(line);
  };
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { capture: sink },
    loggers: [
      { category: ["baltic"], lowestLevel: "error", sinks: ["capture"] },
      { category: ["fedify"], lowestLevel: "error", sinks: ["capture"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: ["capture"] },
    ],
  });
  return errors;
}

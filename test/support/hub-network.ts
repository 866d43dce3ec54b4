import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { type CliResult, runCli, type SpawnedInstance, spawnInstance } from "./instance.ts";
import { waitFor } from "./ports.ts";

/** One server process of the network, with its database and its CLI. */
export interface NetworkNode {
  instance: SpawnedInstance;
  db: TestDatabase;
  cli(args: string[]): Promise<CliResult>;
  actor(username: string): string;
}

/** What the libraries published before the hub followed them (backfilled) — text and language. */
export const EARLIER_ARTICLES = {
  vilnius: {
    title: "Bibliotekose prasideda vasaros skaitymo programa",
    summary: "Vilniaus bibliotekose vaikai ir suaugusieji kviečiami skaityti visą vasarą.",
    content: "<p>Vasaros skaitymo programa vyks visose miesto bibliotekose.</p>",
    language: "lt",
    tag: "skaitymas",
  },
  riga: {
    title: "Bibliotēka aicina uz digitālo prasmju semināru",
    summary: "Rīgas bibliotēkā notiks seminārs par digitālajām prasmēm senioriem.",
    content: "<p>Seminārs notiks bibliotēkas lielajā zālē.</p>",
    language: "lv",
    tag: "prasmes",
  },
  closed: {
    title: "Slēgtās bibliotēkas jaunumi",
    summary: "Šī bibliotēka nevēlas, lai tās ieraksti būtu meklējami.",
    content: "<p>Iekšēji jaunumi.</p>",
    language: "lv",
    tag: "jaunumi",
  },
} as const;

export interface HubNetwork {
  /** Library instance writing in Lithuanian: @vilnius. */
  lt: NetworkNode;
  /** Library instance writing in Latvian: @riga, and @closed (indexable: false). */
  lv: NetworkNode;
  /** The hub (INSTANCE_ROLE=hub), its following account @hub. */
  hub: NetworkNode;
  /** URLs of the earlier articles, by account. */
  earlier: Record<keyof typeof EARLIER_ARTICLES, string>;
  /** Publishes an article through the library's CLI and returns its URL. */
  publish(
    node: NetworkNode,
    account: string,
    article: { title: string; summary: string; content: string; language: string; tag?: string },
  ): Promise<string>;
  stop(): Promise<void>;
}

async function node(env: Record<string, string>): Promise<NetworkNode> {
  const db = await createTestDatabase();
  const instance = await spawnInstance({
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-hubnet-")),
    ...env,
  });
  return {
    instance,
    db,
    cli: (args) => runCli(args, instance.env),
    actor: (username) => new URL(`/users/${username}`, instance.url).href,
  };
}

async function ok(result: Promise<CliResult>): Promise<string> {
  const done = await result;
  if (done.code !== 0) throw new Error(`CLI failed (${done.code}): ${done.stderr}`);
  return done.stdout;
}

/**
 * Three server processes on loopback (two libraries and a hub), each on its own database: the
 * libraries publish earlier articles, then the hub follows @vilnius by URL and every library of
 * the Latvian instance with --instance, and waits until each follow is accepted and backfilled.
 * Issue 9's data path; the search tests build on it.
 */
export async function startHubNetwork(): Promise<HubNetwork> {
  const started = await Promise.allSettled([node({}), node({}), node({ INSTANCE_ROLE: "hub" })]);
  const nodes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.instance.kill()));
    await Promise.all(nodes.map((n) => n.db.drop()));
  };
  const [lt, lv, hub] = nodes;
  if (!lt || !lv || !hub) {
    // A failed start must not leave the other servers running (and holding connections).
    await stop();
    const failure = started.find((s) => s.status === "rejected");
    throw failure?.status === "rejected" ? failure.reason : new Error("a node did not start");
  }
  try {
    return await setUpNetwork(lt, lv, hub, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function setUpNetwork(
  lt: NetworkNode,
  lv: NetworkNode,
  hub: NetworkNode,
  stop: () => Promise<void>,
): Promise<HubNetwork> {
  const created = [
    lt.cli([
      "accounts",
      "create",
      "--username",
      "vilnius",
      "--name",
      "Vilniaus biblioteka",
      "--country",
      "LT",
      "--city",
      "Vilnius",
    ]),
    lv.cli([
      "accounts",
      "create",
      "--username",
      "riga",
      "--name",
      "Rīgas bibliotēka",
      "--country",
      "LV",
      "--city",
      "Rīga",
    ]),
    lv.cli(["accounts", "create", "--username", "closed", "--name", "Slēgtā bibliotēka", "--country", "LV"]),
    hub.cli(["accounts", "create", "--username", "hub", "--name", "Baltic hub"]),
  ];
  for (const result of created) await ok(result);
  // The one library that does not consent to search (FEP-5feb indexable: false).
  await lv.db.sql`UPDATE accounts SET indexable = false WHERE username = 'closed'`;

  const publish: HubNetwork["publish"] = async (at, account, article) => {
    const args = [
      "posts",
      "create",
      "--account",
      account,
      "--title",
      article.title,
      "--summary",
      article.summary,
    ];
    args.push("--content", article.content, "--language", article.language);
    if (article.tag) args.push("--tag", article.tag);
    return (await ok(at.cli(args))).trim();
  };
  const earlier = {
    vilnius: await publish(lt, "vilnius", EARLIER_ARTICLES.vilnius),
    riga: await publish(lv, "riga", EARLIER_ARTICLES.riga),
    closed: await publish(lv, "closed", EARLIER_ARTICLES.closed),
  };

  await ok(hub.cli(["hub", "follow", lt.actor("vilnius")]));
  await ok(hub.cli(["hub", "follow", "--instance", lv.instance.url.origin]));
  const sources = [lt.actor("vilnius"), lv.actor("riga"), lv.actor("closed")];
  await waitFor(
    async () => {
      const lines = (await hub.cli(["hub", "sources"])).stdout.split("\n");
      return sources.every((iri) =>
        lines.some((line) => line.includes(`\t${iri}\t`) && /^accepted\t.*backfilled 1 of/.test(line)),
      );
    },
    { what: "every source accepted and backfilled", timeoutMs: 60_000 },
  );
  return {
    lt,
    lv,
    hub,
    earlier,
    publish,
    stop,
  };
}

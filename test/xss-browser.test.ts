import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listFollowers, listFollowing } from "../server/domain/follows.ts";
import { followRemote } from "../server/services/following.ts";
import { launchChromium } from "./support/browser.ts";
import { type CliResult, type InProcessInstance, runCli, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { WebClient } from "./support/web-client.ts";
import {
  type Findings,
  htmlHeaders,
  markerIds,
  nextPage,
  OFFLINE_ARGS,
  XssProbe,
} from "./support/xss-browser.ts";
import {
  Feed,
  HTML_PAYLOADS,
  htmlBody,
  MARKDOWN_PAYLOADS,
  markdownBody,
  type Payload,
  payloadById,
  sentinel,
  Tally,
  TEXT_PAYLOADS,
  text,
  URL_PAYLOADS,
} from "./support/xss-corpus.ts";
import { HTML_BATCHES, HTTP_URLS, MARKDOWN_BATCHES } from "./support/xss-plan.ts";
import {
  eachLimited,
  type ImageServer,
  RemoteSender,
  startAnyPathImageServer,
} from "./support/xss-remote.ts";

const ADMIN = { email: "admin@library.example", password: "a long enough password" };
const ACTORS = 4;

/**
 * DESIGN.md §5 rule 6: the corpus through ingest, actor documents, the editor and the CLI, every
 * page rendered in Chromium with hooks (xss-browser.ts). The tests build on each other in order.
 */
describe("XSS corpus through every path, rendered in Chromium", { timeout: 60_000 }, () => {
  const tally = new Tally();
  const started = Date.now();
  const inboxAnswers = new Map<number, number>();
  let home: InProcessInstance;
  let remote: InProcessInstance;
  let browser: Browser;
  let probe: XssProbe;
  let sender: RemoteSender;
  let images: ImageServer;
  const actors: Account[] = [];
  let cli: Promise<CliResult[]>;
  const at = (path: string) => new URL(path, home.url).href;

  /** Renders every page of a paginated list (side by side); returns their text. */
  async function checkPages(path: string): Promise<string> {
    const urls: string[] = [];
    for (let url: string | null = at(path); url; url = await nextPage(url)) urls.push(url);
    const texts = await Promise.all(urls.map((url, n) => probe.check(`${path} p${n + 1}`, { goto: url })));
    return texts.join("");
  }

  function expectShown(label: string, shown: string, payloads: readonly Payload[]) {
    for (const p of payloads) if (!shown.includes(sentinel(p))) probe.uncovered.push(`${label}: #${p.id}`);
  }

  beforeAll(async () => {
    images = await startAnyPathImageServer();
    [home, remote, browser] = await Promise.all([
      startInProcess(),
      startInProcess(),
      launchChromium(OFFLINE_ARGS),
    ]);
    sender = new RemoteSender(remote, home);
    const [lib] = await Promise.all([
      createAccount(home.db, { username: "lib", name: "Home library" }),
      createAccount(home.db, { username: "cli", name: "CLI library" }),
      Promise.all(
        Array.from({ length: ACTORS }, (_, i) =>
          createAccount(remote.db, { username: `peer${i}`, name: `Peer ${i}` }),
        ),
      ).then((created) => actors.push(...created)),
      (async () => (probe = await XssProbe.open(browser, 2)))(),
    ]);
    // Two CLI processes run meanwhile (each costs 1–3 s).
    cli = runCliPosts();
    const libId = at("/users/lib");
    // We follow every peer (so their posts are kept); one follows us back (the followers list).
    await eachLimited(actors, 3, async (a) => {
      await followRemote(home, lib, sender.actorId(a));
    });
    expect(await sender.send(actors[0]!, sender.follow(actors[0]!, libId))).toBe(202);
    await waitFor(
      async () =>
        (await listFollowing(home.db, lib.id)).filter((f) => f.state === "accepted").length === ACTORS &&
        (await listFollowers(home.db, lib.id)).length === 1,
      { what: "follows accepted" },
    );
  });

  afterAll(async () => {
    await probe?.close();
    await browser?.close();
    await images?.close();
    await Promise.all([home?.stop(), remote?.stop()]);
  });

  function runCliPosts(): Promise<CliResult[]> {
    const env = {
      DATABASE_URL: home.database.url,
      PUBLIC_URL: home.url.origin,
      DATA_DIR: mkdtempSync(join(tmpdir(), "baltic-xss-cli-")),
      SECRET_KEY: "x".repeat(32),
      ALLOW_PRIVATE_ADDRESS: "true",
    };
    const feed = new Feed(TEXT_PAYLOADS);
    // `--option=value`: payloads that start with "-" would otherwise read as options.
    const post = (content: string, extra: string[]) =>
      runCli(
        [
          "posts",
          "create",
          "--account=cli",
          "--language=en",
          `--title=${text(tally.use("cli", feed.take(240)))}`,
        ]
          .concat([`--summary=${text(tally.use("cli", feed.take(400)))}`, `--content=${content}`])
          .concat(["--tag=xss", ...extra]),
        env,
      );
    return Promise.all([
      post(htmlBody(tally.use("cli", HTML_BATCHES[0]!)), [
        `--image=${images.base}/a.png?"><x`,
        `--image-alt=${text(tally.use("cli", feed.take(400)))}`,
      ]),
      post(markdownBody(tally.use("cli", MARKDOWN_BATCHES[0]!)), ["--markdown"]),
    ]);
  }

  it("catches a payload that runs: the hooks themselves work", async () => {
    const control: Findings = { executed: [], unsafe: [] };
    const picked = [
      /^<script>/,
      /^<img src=x onerror=/,
      /^<a href="javascript:/,
      /^<img src=x \/onmouseover=/,
    ].map((re) => HTML_PAYLOADS.find((p) => re.test(p.value))!);
    const body = `${picked.map((p) => p.value).join("")}<script>window.injected = 1</script>`;
    // Served at our origin with our CSP, as a page of ours would be.
    const headers = htmlHeaders(await fetch(at("/")));
    const html = `<!DOCTYPE html><html lang="en"><body>${body}</body></html>`;
    const visit = { url: at("/control"), headers, html };
    await probe.check("unsanitized", visit, control);
    expect(markerIds(control.executed).sort()).toEqual(picked.map((p) => p.id).sort());
    expect(control.executed.filter((e) => e.includes("[csp]: csp script-src")).length).toBeGreaterThan(0);
    expect(control.executed).toContainEqual(expect.stringMatching(/\[no-csp\]: new global injected$/));
    expect(control.unsafe.length).toBeGreaterThan(0);
  });

  it("ingest: Create(Note/Article) from followed actors, payloads in every field", async () => {
    const use = (ps: readonly Payload[]) => tally.use("ingest", ps);
    const summaries = new Feed(TEXT_PAYLOADS);
    const names = new Feed(TEXT_PAYLOADS);
    const tags = new Feed(TEXT_PAYLOADS.filter((p) => p.value.length <= 60));
    const author = (i: number) => actors[i % ACTORS]!;
    const activities: [Account, Record<string, unknown>, number][] = [];
    HTML_BATCHES.forEach((batch, i) => {
      const tag = use(tags.take(200)).map((p, k) => ({
        type: "Hashtag",
        name: `#${p.value}`,
        href: tally.one("ingest", URL_PAYLOADS[(i * 5 + k) % URL_PAYLOADS.length]!),
      }));
      const note = {
        type: "Note",
        content: htmlBody(use(batch)),
        summary: text(use(summaries.take(4000))),
        tag,
      };
      activities.push([author(i), sender.create(author(i), note), 0]);
      // An Article shows its name and summary; its content goes through the same code as a Note's.
      const article = {
        type: "Article",
        name: text(use(names.take(900))),
        summary: text(use(summaries.take(2000))),
        content: "<p>An article</p>",
        url: tally.one("ingest", HTTP_URLS[i % HTTP_URLS.length]!),
      };
      activities.push([author(i + 1), sender.create(author(i + 1), article), 0]);
    });
    // Each URL value alone in every URL-holding field of its own Note: Fedify refuses a whole
    // object over one unparsable URL, which must not hide other payloads.
    URL_PAYLOADS.forEach((p, i) => {
      use([p, p, p, p, p]);
      const note = {
        type: "Note",
        content: `<p>url ${sentinel(p)}</p>`,
        url: i % 2 ? p.value : { type: "Link", href: p.value },
        attachment: [
          { type: "Document", mediaType: "image/png", url: p.value, name: "doc" },
          { type: "Image", url: { type: "Link", href: p.value } },
          { type: "Link", href: p.value },
        ],
        tag: [{ type: "Hashtag", name: "#url", href: p.value }],
      };
      activities.push([author(i), sender.create(author(i), note), p.id]);
    });
    await eachLimited(activities, 6, async ([account, activity, id]) => {
      const status = await sender.send(account, activity);
      // 400: Fedify could not parse the object (a URL it refuses); nothing is stored.
      expect([202, 400], JSON.stringify(activity).slice(0, 300)).toContain(status);
      if (id) inboxAnswers.set(id, status);
      else expect(status).toBe(202);
    });
    await sender.drained();
    expectShown("/received", await checkPages("/received"), HTML_PAYLOADS);
    const [tag] = await home.database.sql<{ tag: string }[]>`
      SELECT jsonb_array_elements_text(tags) AS tag FROM items WHERE account_id IS NULL LIMIT 1`;
    await probe.check(`/tags/${tag?.tag}`, { goto: at(`/tags/${encodeURIComponent(tag?.tag ?? "")}`) });
  });

  it("ingest: Update(Person/Organization) with payloads in name, summary, url, icon, fields", async () => {
    const use = (ps: readonly Payload[]) => tally.use("actor", ps);
    const names = new Feed(TEXT_PAYLOADS);
    const markup = new Feed(HTML_PAYLOADS);
    const handles = new Feed(TEXT_PAYLOADS.filter((p) => p.family === "breakout"));
    const admin = new WebClient(home.url);
    await admin.page("/setup");
    expect((await admin.postForm("/setup", ADMIN)).status).toBe(303);
    await probe.addCookies([
      { name: "session", value: admin.cookies.get("session") ?? "", url: home.url.href },
    ]);
    const lists: string[] = [];
    let served = { url: "", headers: {}, html: "" };
    for (let next = 0, round = 1; next < URL_PAYLOADS.length; round++) {
      await Promise.all(
        actors.map(async (account) => {
          const url = URL_PAYLOADS[next++ % URL_PAYLOADS.length]!;
          const update = await sender.updateProfile(account, {
            type: round % 2 ? "Organization" : "Person",
            name: text(use(names.take(400))),
            preferredUsername: use(handles.take(100, 1))[0]!.value,
            summary: text(use(markup.take(1500))),
            url: tally.one("actor", url),
            icon: { type: "Image", url: tally.one("actor", URL_PAYLOADS[(next * 7) % URL_PAYLOADS.length]!) },
            attachment: use(markup.take(300)).map((p) => ({
              type: "PropertyValue",
              name: "Website",
              value: p.value,
            })),
          });
          // 400: a URL Fedify cannot parse; the profile stays as it was.
          expect([202, 400]).toContain(await sender.send(account, update));
        }),
      );
      await sender.drained();
      // The lists as served after this round; all rounds are rendered below in one page.
      const response = await admin.get("/admin/accounts/lib", { Accept: "text/html" });
      const html = await response.text();
      lists.push(/<main id="main">([\s\S]*)<\/main>/.exec(html)?.[1] ?? "");
      served = { url: at("/admin/accounts/lib"), headers: htmlHeaders(response), html };
    }
    const rounds = lists.map((main) => `<section>${main}</section>`).join("");
    served.html = served.html.replace(
      /<main id="main">[\s\S]*<\/main>/,
      () => `<main id="main">${rounds}</main>`,
    );
    await Promise.all([
      probe.check(`follow lists after each of ${lists.length} rounds`, served),
      probe.check("/received after profile updates", { goto: at("/received") }),
    ]);
  });

  it("editor: profile, HTML and Markdown posts and the refused forms", async () => {
    const use = (ps: readonly Payload[]) => tally.use("editor", ps);
    const admin = new WebClient(home.url);
    await admin.page("/login");
    expect((await admin.postForm("/login", ADMIN)).status).toBe(303);
    const feed = new Feed(TEXT_PAYLOADS);
    const profile = (website: Payload) => ({
      name: text(use(feed.take(200))),
      summary: text(use(feed.take(2000))),
      country: "LT",
      city: text(use(feed.take(200))),
      website: tally.one("editor", website).trim(),
      icon: `${images.base}/icon.png?q=${encodeURIComponent(text(use(feed.take(60))))}`,
      image: `${images.base}/"><img src=x onerror=alert(1)>.png`,
    });
    await admin.page("/admin");
    expect(
      (await admin.postForm("/admin/accounts", { username: "editor", ...profile(HTTP_URLS[0]!) })).status,
    ).toBe(303);
    await probe.check("/users/editor (created)", { goto: at("/users/editor") });
    await admin.page("/admin/accounts/editor");
    expect((await admin.postForm("/admin/accounts/editor/profile", profile(HTTP_URLS[1]!))).status).toBe(303);

    const bodies = [
      ...HTML_BATCHES.map((batch) => ({ batch, format: "html", content: htmlBody(batch) })),
      ...MARKDOWN_BATCHES.map((batch) => ({ batch, format: "markdown", content: markdownBody(batch) })),
      // Everything in one post: its edit form echoes every payload's source in one textarea.
      { batch: [], format: "html", content: text(use(HTML_PAYLOADS)) },
    ];
    const posts: { path: string; batch: Payload[] }[] = [];
    await admin.page("/admin/accounts/editor/posts/new");
    await eachLimited(bodies, 3, async ({ batch, format, content }) => {
      const response = await admin.postForm("/admin/accounts/editor/posts", {
        title: text(use(feed.take(240))),
        summary: text(use(feed.take(480))),
        content,
        format,
        language: "en",
        tags: "xss bibliotekos",
        imageUrl: `${images.base}/${encodeURIComponent(text(use(feed.take(40))))}.png`,
        imageAlt: text(use(feed.take(400))),
      });
      expect(response.status, await response.text()).toBe(303);
      posts.push({ path: response.headers.get("location") ?? "", batch: use(batch) });
    });
    const omnibus = posts
      .find((p) => p.batch.length === 0)
      ?.path.split("/")
      .pop();
    await Promise.all([
      ...posts.map(async ({ path, batch }) =>
        expectShown(path, await probe.check(path, { goto: at(path) }), batch),
      ),
      probe.check("edit form of everything", { goto: at(`/admin/accounts/editor/posts/${omnibus}/edit`) }),
      ...["/", "/users/editor"].map(checkPages),
      ...["/admin", "/admin/accounts/editor"].map((path) => probe.check(path, { goto: at(path) })),
    ]);
    // Refused input comes back in its form: Chromium submits it and renders the 400 page.
    const refused: { path: string; values: Record<string, string> }[] = [
      {
        path: at("/admin/accounts/editor/posts/new"),
        values: {
          title: text(use(feed.take(600))),
          summary: text(use(feed.take(600))),
          content: htmlBody(use(HTML_BATCHES[2]!)),
          tags: text(use(feed.take(400))),
          imageUrl: tally.one("editor", URL_PAYLOADS[0]!),
          imageAlt: text(use(feed.take(400))),
        },
      },
      // The error message quotes what was typed; the mark tells the refusal page was reached.
      {
        path: at("/admin/accounts/editor"),
        values: { name: "x", website: `⟦w⟧ ${text(use(feed.take(200)))}` },
      },
      { path: at("/admin/accounts/editor"), values: { target: `⟦t⟧ ${text(use(feed.take(200)))}` } },
    ];
    const shown = await Promise.all(
      refused.map((submit) => probe.check(`refused ${submit.path}`, { submit })),
    );
    expectShown("refused post form", shown[0] ?? "", HTML_BATCHES[2]!);
    expect([shown[1]?.includes("⟦w⟧"), shown[2]?.includes("⟦t⟧")]).toEqual([true, true]);
  });

  it("CLI: posts create with payloads in title, summary, content and image alt", async () => {
    const results = await cli;
    const batchesOf = [HTML_BATCHES[0]!, MARKDOWN_BATCHES[0]!];
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    await Promise.all([
      ...results.map(async (r, i) => {
        const path = new URL(r.stdout.trim()).pathname;
        expectShown(path, await probe.check(`cli ${path}`, { goto: at(path) }), batchesOf[i]!);
      }),
      checkPages("/users/cli"),
    ]);
  });

  it("reflects nothing from the URL: tag, cursor and language parameters", async () => {
    const checks = tally.use("reflected", TEXT_PAYLOADS.slice(0, 1)).flatMap((p) => {
      const q = encodeURIComponent(p.value);
      return [
        probe.check(`reflected #${p.id}`, { goto: at(`/tags/${q}?cursor=${q}&lang=${q}`) }),
        probe.check(`reflected cursor #${p.id}`, { goto: at(`/received?cursor=${q}`) }),
      ];
    });
    await Promise.all(checks);
  });

  it("executed no payload in any page, with or without the CSP", () => {
    const refused = [...inboxAnswers.values()].filter((s) => s === 400).length;
    console.log(
      [
        `XSS corpus: ${HTML_PAYLOADS.length} HTML + ${MARKDOWN_PAYLOADS.length} Markdown + ${URL_PAYLOADS.length} URL payloads`,
        ...tally.report(),
        `URL Notes refused by the inbox (unparsable URL): ${refused} of ${inboxAnswers.size}`,
        `pages: ${probe.pages} × 2 contexts (CSP, bypassCSP); executed: ${probe.executed.length}; ` +
          `unsafe: ${probe.unsafe.length}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ].join("\n"),
    );
    expect(markerIds(probe.executed).map(payloadById), "payloads whose marker fired").toEqual([]);
    expect(probe.executed, "scripts that ran, dialogs, navigations, new globals").toEqual([]);
    expect(probe.unsafe, "executable or non-http markup left in the DOM").toEqual([]);
    expect(probe.uncovered, "payloads that never reached their page").toEqual([]);
  });
});

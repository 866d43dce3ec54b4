import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccount } from "../server/domain/accounts.ts";
import { countAdmins, createUser } from "../server/domain/users.ts";
import { en } from "../web/i18n/en.ts";
import { lt } from "../web/i18n/lt.ts";
import { type InProcessInstance, startInProcess, startSecondWebProcess } from "./support/instance.ts";
import { csrfField, firstText, WebClient } from "./support/web-client.ts";

const ADMIN = { email: "admin@library.example", password: "a long enough password" };
const EDITOR = { email: "editor@library.example", password: "another long password" };

/** POSTs the login form from another loopback source address (127.0.0.2), as another client. */
async function signInFrom(
  localAddress: string,
  base: URL,
  who: { email: string; password: string },
): Promise<number> {
  // A real CSRF pair (cookie and its form token) from a login page fetched by a normal client.
  const pageClient = new WebClient(base);
  await pageClient.page("/login");
  const cookie = pageClient.cookies.get("csrf") ?? "";
  const body = new URLSearchParams({ ...who, _csrf: pageClient.lastCsrf ?? "" }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL("/login", base),
      {
        method: "POST",
        localAddress,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `csrf=${cookie}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function signIn(client: WebClient, who: { email: string; password: string }): Promise<void> {
  await client.page("/login");
  const response = await client.postForm("/login", who);
  expect(response.status).toBe(303);
  expect(client.cookies.get("session")).toBeTruthy();
}

/**
 * The server-rendered pages over real HTTP, in the order an operator meets them: setup, sign in,
 * library accounts, publications. Tests in this block build on each other. They all sign in from
 * 127.0.0.1, so together they stay under the 10 sign-ins per minute the rate limit allows.
 */
describe("setup, sign-in and admin pages", () => {
  let instance: InProcessInstance;
  let admin: WebClient;

  beforeAll(async () => {
    instance = await startInProcess();
    admin = new WebClient(instance.url);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("sends a fresh instance's home, login and admin pages to /setup", async () => {
    const visitor = new WebClient(instance.url);
    for (const path of ["/", "/login", "/admin"]) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get("location"), path).toBe("/setup");
    }
    const setup = await visitor.page("/setup");
    expect(setup.status).toBe(200);
    expect(setup.html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(setup.html).toContain(en["setup.intro"]);
  });

  it("refuses the setup form without the CSRF token or with a wrong one", async () => {
    const visitor = new WebClient(instance.url);
    await visitor.page("/setup");
    const missing = await visitor.postForm("/setup", ADMIN, { csrf: false });
    expect(missing.status).toBe(403);
    const page = await missing.text();
    expect(page).toContain(en["form.csrf"]);
    expect(firstText(page, "h1")).toBe(en["setup.title"]);
    const wrong = await visitor.postForm("/setup", ADMIN, { csrf: "A".repeat(32) });
    expect(wrong.status).toBe(403);
    // A token without the matching cookie is refused too (a cross-site form post).
    const noCookie = new WebClient(instance.url);
    const forged = await noCookie.postForm("/setup", ADMIN, { csrf: visitor.lastCsrf ?? "" });
    expect(forged.status).toBe(403);
    // Nor does plain double-submit work: a planted cookie echoed in the form (cookie tossing).
    const tosser = new WebClient(instance.url);
    tosser.cookies.set("csrf", "attacker-chosen-value-0123456789abcdef");
    const tossed = await tosser.postForm("/setup", ADMIN, { csrf: "attacker-chosen-value-0123456789abcdef" });
    expect(tossed.status).toBe(403);
    expect(await countAdmins(instance.db)).toBe(0);
    expect(visitor.cookies.has("session")).toBe(false);
  });

  it("creates the first admin and a session when the CSRF token matches", async () => {
    const { html } = await admin.page("/setup");
    const token = csrfField(html);
    // The form carries the cookie's HMAC, not the cookie itself.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(admin.cookies.get("csrf"));
    const response = await admin.postForm("/setup", ADMIN, { csrf: token });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin");
    expect(admin.cookies.get("session")).toBeTruthy();
    expect(await countAdmins(instance.db)).toBe(1);
    const home = await admin.page("/admin");
    expect(home.status).toBe(200);
    expect(firstText(home.html, "h1")).toBe(en["admin.title"]);
  });

  it("says setup is done once an admin exists and creates no second one", async () => {
    const visitor = new WebClient(instance.url);
    const { status, html } = await visitor.page("/setup");
    expect(status).toBe(200);
    expect(html).toContain(en["setup.done"]);
    expect(firstText(html, "h1")).toBe(en["setup.title"]);
    expect(html).not.toContain('name="password"');
    await visitor.page("/login"); // a page with a form, for a valid CSRF token
    const again = await visitor.postForm("/setup", {
      email: "intruder@example.com",
      password: "0123456789ab",
    });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/login");
    expect(await countAdmins(instance.db)).toBe(1);
  });

  it("rejects a wrong password with the translated message and accepts the right one", async () => {
    const client = new WebClient(instance.url, { "Accept-Language": "lt" });
    await client.page("/login");
    const wrong = await client.postForm("/login", { email: ADMIN.email, password: "not the password" });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('<html lang="lt">');
    expect(html).toContain(lt["login.failed"]);
    expect(html).toContain(`value="${ADMIN.email}"`);
    expect(client.cookies.has("session")).toBe(false);

    const right = await client.postForm("/login", ADMIN);
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/admin");
    expect(client.cookies.get("session")).toMatch(/^[\w-]{32,}$/);
    expect((await client.page("/admin")).status).toBe(200);
  });

  it("sends /admin pages to /login without a session", async () => {
    const visitor = new WebClient(instance.url);
    const response = await visitor.get("/admin");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?next=%2Fadmin");
    const deep = await visitor.get("/admin/accounts/anyone/posts/new");
    expect(deep.status).toBe(303);
    expect(deep.headers.get("location")).toMatch(/^\/login\?next=/);
    const post = await visitor.postForm("/admin/accounts", { username: "sneaky", name: "Sneaky" });
    expect(post.status).toBe(303);
    expect(await findAccount(instance.db, "sneaky")).toBeUndefined();
  });

  it("returns to the page asked for after sign-in, but never to another site", async () => {
    for (const [next, expected] of [
      ["/admin/accounts", "/admin/accounts"],
      ["//evil.example/phish", "/admin"],
      ["/\\evil.example", "/admin"],
    ] as const) {
      const client = new WebClient(instance.url);
      const { html } = await client.page(`/login?next=${encodeURIComponent(next)}`);
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
      const response = await client.postForm(action, ADMIN);
      expect(response.status, next).toBe(303);
      expect(response.headers.get("location"), next).toBe(expected);
    }
  });

  it("signs out only with the CSRF token", async () => {
    const client = new WebClient(instance.url);
    await signIn(client, ADMIN);
    const session = client.cookies.get("session") ?? "";
    const forged = await client.postForm("/logout", {}, { csrf: false });
    expect(forged.status).toBe(403);
    expect((await client.page("/admin")).status).toBe(200);

    const response = await client.postForm("/logout", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(client.cookies.has("session")).toBe(false);
    // The old session token is dead on the server too, not only forgotten by the browser.
    const replay = await client.get("/admin", { Cookie: `session=${session}` });
    expect(replay.status).toBe(303);
  });

  it("does not let an editor create library accounts", async () => {
    await createUser(instance.db, { ...EDITOR, role: "editor" });
    const editor = new WebClient(instance.url);
    await signIn(editor, EDITOR);
    const home = await editor.page("/admin");
    expect(home.status).toBe(200);
    expect(home.html).not.toContain('action="/admin/accounts"');
    const response = await editor.postForm("/admin/accounts", { username: "rogue", name: "Rogue library" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(en["admin.forbidden"]);
    expect(await findAccount(instance.db, "rogue")).toBeUndefined();
  });

  it("keeps a signed-in user's language choice as their setting, over the browser's and a new browser's", async () => {
    await createUser(instance.db, { email: "kalba@example.lt", password: "0123456789ab", role: "editor" });
    const lithuanianBrowser = new WebClient(instance.url, { "Accept-Language": "lt" });
    await signIn(lithuanianBrowser, { email: "kalba@example.lt", password: "0123456789ab" });
    expect((await lithuanianBrowser.page("/admin")).html).toContain('<html lang="lt">');
    // The switch: this page and the next ones in Latvian, whatever the browser asks for.
    expect((await lithuanianBrowser.page("/admin?lang=lv")).html).toContain('<html lang="lv">');
    expect((await lithuanianBrowser.page("/admin")).html).toContain('<html lang="lv">');
    // Signed in from another browser (no cookie, English asked): the setting holds.
    const other = new WebClient(instance.url, { "Accept-Language": "en" });
    await signIn(other, { email: "kalba@example.lt", password: "0123456789ab" });
    expect((await other.page("/admin")).html).toContain('<html lang="lv">');
    // A visitor's choice is kept in a cookie only; an unknown value changes nothing.
    const visitor = new WebClient(instance.url, { "Accept-Language": "lt" });
    expect((await visitor.page("/login?lang=xx")).html).toContain('<html lang="lt">');
    expect((await visitor.page("/login?lang=en")).html).toContain('<html lang="en">');
    expect((await visitor.page("/login")).html).toContain('<html lang="en">');
    // The switch keeps the page's query: a search stays the same search in another language.
    const search = (await visitor.page("/search?q=skaitymas&type=event")).html;
    expect(search).toContain('href="?q=skaitymas&amp;type=event&amp;lang=lt" hreflang="lt"');
  });

  it("lets an admin create a library account through the form", async () => {
    const response = await admin.postForm("/admin/accounts", {
      username: "vilnius",
      name: "Vilnius City Library",
      summary: "The city's public library network.",
      country: "lt",
      city: "Vilnius",
      lat: "54,6872",
      lon: "25.2797",
      website: "https://www.vilniausbiblioteka.lt/",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/accounts/vilnius");
    const account = await findAccount(instance.db, "vilnius");
    expect(account).toMatchObject({ name: "Vilnius City Library", country: "LT", latitude: 54.6872 });
    const profile = await admin.page("/users/vilnius");
    expect(profile.status).toBe(200);
    expect(firstText(profile.html, "h1")).toBe("Vilnius City Library");

    const duplicate = await admin.postForm("/admin/accounts", { username: "vilnius", name: "Again" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain("username: @vilnius already exists");
  });

  it("answers bad post input with 400, the field named and the typed values kept", async () => {
    const form = await admin.page("/admin/accounts/vilnius/posts/new");
    expect(form.status).toBe(200);
    const response = await admin.postForm("/admin/accounts/vilnius/posts", {
      title: "   ",
      summary: "A summary I typed & want back",
      content: "Some *Markdown* I typed",
      format: "markdown",
      language: "lv",
      tags: "reading digital_skills",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("title: must not be empty");
    // Next to the field too, tied to it for screen readers, without the field's name.
    expect(html).toMatch(
      /<input name="title"[^>]*aria-invalid="true" aria-describedby="title-hint title-error"/,
    );
    expect(html).toContain('<span class="error" role="alert" id="title-error">must not be empty</span>');
    expect(html).toContain("A summary I typed &amp; want back</textarea>");
    expect(html).toContain("Some *Markdown* I typed</textarea>");
    expect(html).toContain('value="reading digital_skills"');
    expect(html).toMatch(/<option value="lv" selected="">lv<\/option>/);
  });

  let articlePath = "";

  it("publishes a Markdown post from the form without letting scripts through", async () => {
    const response = await admin.postForm("/admin/accounts/vilnius/posts", {
      title: "Library Specialist's Space launched",
      summary: "",
      content: [
        "The National Library launched a **one-stop hub** for library professionals.",
        "",
        "<script>document.title = 'owned'</script>",
        "",
        '<img src="x" onerror="alert(1)"> [click](javascript:alert(2))',
      ].join("\n"),
      format: "markdown",
      language: "en",
      tags: "libraries training",
    });
    expect(response.status).toBe(303);
    articlePath = response.headers.get("location") ?? "";
    expect(articlePath).toMatch(/^\/users\/vilnius\/articles\/[0-9a-f-]{36}$/);

    const { status, html } = await admin.page(articlePath);
    expect(status).toBe(200);
    expect(firstText(html, "h1")).toBe("Library Specialist&#39;s Space launched");
    expect(html).toContain("<strong>one-stop hub</strong>");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("owned");
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('href="/tags/libraries"');
  });

  it("shows the new title on the article page after an edit", async () => {
    const id = articlePath.split("/").pop() ?? "";
    const form = await admin.page(`/admin/accounts/vilnius/posts/${id}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("The National Library launched a **one-stop hub**");
    const response = await admin.postForm(`/admin/accounts/vilnius/posts/${id}`, {
      title: "Library Specialist's Space opens to all",
      content: "Now open to every library professional in Lithuania.",
      format: "markdown",
      language: "en",
      tags: "",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(articlePath);
    const { html } = await admin.page(articlePath);
    expect(firstText(html, "h1")).toBe("Library Specialist&#39;s Space opens to all");
    expect(html).not.toContain("one-stop hub");
  });

  it("deletes a post with the form; its page then answers 410 Gone", async () => {
    const id = articlePath.split("/").pop() ?? "";
    const forged = await admin.postForm(`/admin/accounts/vilnius/posts/${id}/delete`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    expect((await admin.page(articlePath)).status).toBe(200);

    const response = await admin.postForm(`/admin/accounts/vilnius/posts/${id}/delete`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/accounts/vilnius?saved=1");
    const gone = await admin.page(articlePath);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain(en["article.gone"]);
    const json = await admin.get(articlePath, { Accept: "application/activity+json" });
    expect(json.status).toBe(410);
    expect(await json.json()).toMatchObject({
      type: "Tombstone",
      id: new URL(articlePath, instance.url).href,
    });
    const list = await admin.page("/admin/accounts/vilnius?saved=1");
    expect(list.html).toContain(en["admin.saved"]);
    expect(list.html).not.toContain(articlePath);
  });
});

// Each attempt costs a scrypt hash: slow on a busy machine, hence the longer timeouts.
describe("sign-in rate limit", { timeout: 120_000 }, () => {
  let instance: InProcessInstance;

  beforeAll(async () => {
    instance = await startInProcess();
    await createUser(instance.db, { ...ADMIN, role: "admin" });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("answers the 11th bad attempt within a minute with 429, even with the right password", async () => {
    const client = new WebClient(instance.url);
    await client.page("/login");
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await client.postForm("/login", {
        email: ADMIN.email,
        password: `wrong guess ${attempt}`,
      });
      expect(response.status, `attempt ${attempt}`).toBe(400);
    }
    const blocked = await client.postForm("/login", { email: ADMIN.email, password: "wrong guess 11" });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain(en["login.tooMany"]);
    const right = await client.postForm("/login", ADMIN);
    expect(right.status).toBe(429);
    expect(client.cookies.has("session")).toBe(false);
    // A forged X-Forwarded-For does not buy a fresh allowance (no TRUST_PROXY here).
    const forged = await client.postForm("/login", ADMIN, { headers: { "X-Forwarded-For": "203.0.113.7" } });
    expect(forged.status).toBe(429);
  });

  it("counts attempts per client address, so one client cannot lock out the others", async () => {
    expect(await signInFrom("127.0.0.2", instance.url, ADMIN)).toBe(303);
  });
});

describe("rate limits shared by web processes", { timeout: 120_000 }, () => {
  let first: InProcessInstance;

  beforeAll(async () => {
    first = await startInProcess({ loginRateLimit: 3 });
    await createUser(first.db, { ...ADMIN, role: "admin" });
  });
  afterAll(async () => {
    await first?.stop();
  });

  it("counts one budget across two processes of one instance (one database)", async () => {
    // A second web process of the same instance: its own app and port, the same database.
    const second = await startSecondWebProcess(first);
    try {
      const client = (url: URL) => signInFrom("127.0.3.1", url, { ...ADMIN, password: "wrong guess" });
      const statuses = [await client(first.url), await client(second.url), await client(first.url)];
      expect(statuses).toEqual([400, 400, 400]);
      expect(await client(second.url)).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("also limits attempts against one account from many addresses (five times the address limit)", async () => {
    const target = { email: "editor@library.example", password: "the editor's password" };
    await createUser(first.db, { ...target, role: "editor" });
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      // Each guess from its own address (127.0.1.0, 127.0.1.1, …), none over its own limit of 3.
      statuses.push(await signInFrom(`127.0.1.${i}`, first.url, { ...target, password: `guess ${i}` }));
    }
    expect(statuses.slice(0, 15).every((s) => s === 400)).toBe(true);
    expect(statuses[15]).toBe(429);
    expect(await signInFrom("127.0.2.1", first.url, target)).toBe(429);
  });
});

import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { media } from "../server/db/schema/index.ts";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { TooLargeError, ValidationError } from "../server/domain/errors.ts";
import { listFollowing } from "../server/domain/follows.ts";
import { mediaUrl } from "../server/domain/media.ts";
import { followRemote } from "../server/services/following.ts";
import { storeUpload, type Upload } from "../server/services/media.ts";
import { en } from "../web/i18n/en.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { type InProcessInstance, runCli, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";
import type { WebClient } from "./support/web-client.ts";

/** The first bytes of an MP4 file (an ISO base media `ftyp` box) and of a WebM (EBML) file, padded. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x20]),
  Buffer.from("ftypisom\0\0\x02\0isomiso2avc1mp41"),
  Buffer.alloc(4000, 7),
]);
const WEBM = Buffer.concat([
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]),
  Buffer.from("webm"),
  Buffer.alloc(4000, 3),
]);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><script>alert(1)</script></svg>',
);

/** A photo as a phone takes it: 3000×2000 pixels stored sideways, with EXIF orientation 6. */
async function sidewaysPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#6a8f3c" } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function image(format: "jpeg" | "png" | "gif" | "webp" | "avif", width = 64, height = 48) {
  return sharp({ create: { width, height, channels: 3, background: "#3a6ea5" } })
    [format]()
    .toBuffer();
}

const upload = (field: string, name: string, bytes: Buffer, claimedType = ""): Upload => ({
  field,
  name,
  claimedType,
  body: new Blob([new Uint8Array(bytes)]),
});

const file = (name: string, bytes: Buffer, type: string) => new File([new Uint8Array(bytes)], name, { type });

/** What is on disk under DATA_DIR/media (files, in any folder). */
function storedFiles(instance: InProcessInstance): string[] {
  const root = join(instance.config.dataDir, "media");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface DocumentJson {
  type: string;
  url: string;
  mediaType: string;
  name: string;
  width: number;
  height: number;
}

describe("media uploads", { timeout: 120_000 }, () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;
  let editor: WebClient;

  const post = (fields: Record<string, string | File>) =>
    editor.postMultipart("/admin/accounts/vilnius/posts", {
      type: "article",
      title: "Summer reading in the courtyard",
      summary: "Children read in the library's courtyard all summer.",
      content: "Every Wednesday in July.",
      format: "markdown",
      language: "en",
      ...fields,
    });

  beforeAll(async () => {
    const limits = { image: 2 * 1024 * 1024, document: 20_000, video: 64 * 1024 };
    [a, b] = await Promise.all([startInProcess({ mediaLimits: limits }), startInProcess()]);
    library = await createAccount(a.db, { username: "vilnius", name: "Vilnius Public Library" });
    await signedIn(a.db, a.url, "admin"); // setup is done once an administrator exists
    editor = await signedIn(a.db, a.url, "editor");
    await editor.page("/admin/accounts/vilnius/posts/new");
    const hub = await createAccount(b.db, { username: "hub", name: "Hub" });
    await followRemote(b, hub, new URL("/users/vilnius", a.url).href);
    await waitFor(async () => (await listFollowing(b.db, hub.id)).every((f) => f.state === "accepted"), {
      what: "the follow accepted",
    });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("stores each allowed type as its bytes say, whatever the name", async () => {
    const cases: [string, Buffer, string][] = [
      ["photo.jpg", await image("jpeg"), "image/jpeg"],
      ["logo.png", await image("png"), "image/png"],
      ["anim.gif", await image("gif"), "image/gif"],
      ["pic.webp", await image("webp"), "image/webp"],
      // AVIF is written as WebP (its encoder is slow); the type is the one we store.
      ["pic.avif", await image("avif"), "image/webp"],
      ["guide.pdf", PDF, "application/pdf"],
      ["talk.mp4", MP4, "video/mp4"],
      ["talk.webm", WEBM, "video/webm"],
      // A name that promises nothing is not held against the bytes.
      ["scan", PDF, "application/pdf"],
    ];
    for (const [name, bytes, type] of cases) {
      const row = await storeUpload(a, library, upload("file", name, bytes), {
        kinds: ["image", "document", "video"],
      });
      expect(row.mediaType, name).toBe(type);
      expect(row.originalName).toBe(name);
      const served = await fetch(mediaUrl(a.url, row.key));
      expect(served.status, name).toBe(200);
      expect(served.headers.get("content-type")).toBe(type);
      if (!type.startsWith("image/")) expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    }
  });

  it("refuses bytes that don't match the field, the name or the claimed type, and files over the limit, storing nothing", async () => {
    const before = storedFiles(a).length;
    const rowsBefore = (await a.db.select().from(media)).length;
    const refused: [Upload, string, typeof ValidationError][] = [
      [upload("imageFile", "sneaky.png", SVG, "image/png"), "is an SVG drawing", ValidationError],
      [
        upload("imageFile", "text.jpg", Buffer.from("not an image at all"), "image/jpeg"),
        "is not an image",
        ValidationError,
      ],
      [
        upload("resourceDocumentFile", "report.pdf", await image("jpeg"), "application/pdf"),
        "is an image (jpeg, png, gif, webp or avif); upload a PDF",
        ValidationError,
      ],
      [
        upload("resourceDocumentFile", "report", await image("jpeg"), "application/pdf"),
        "is an image (jpeg, png, gif, webp or avif); upload a PDF",
        ValidationError,
      ],
      [
        upload("file", "photo.pdf", await image("jpeg"), "application/pdf"),
        "holds image/jpeg but its name ends in .pdf",
        ValidationError,
      ],
      [
        upload("file", "photo.png", await image("jpeg"), "image/jpeg"),
        "but its name ends in .png",
        ValidationError,
      ],
      [
        upload("file", "photo", await image("jpeg"), "application/pdf"),
        "but was sent as application/pdf",
        ValidationError,
      ],
      [
        upload(
          "resourceDocumentFile",
          "big.pdf",
          Buffer.concat([PDF, Buffer.alloc(30_000, 32)]),
          "application/pdf",
        ),
        "document uploads may be at most",
        TooLargeError,
      ],
    ];
    for (const [attempt, message, kind] of refused) {
      const kinds =
        attempt.field === "resourceDocumentFile"
          ? (["document"] as const)
          : attempt.field === "imageFile"
            ? (["image"] as const)
            : (["image", "document", "video"] as const);
      const error = await storeUpload(a, library, attempt, { kinds }).catch((e: unknown) => e);
      expect(error, attempt.name).toBeInstanceOf(kind);
      expect((error as Error).message).toContain(`${attempt.field}: `);
      expect((error as Error).message).toContain(message);
    }
    expect(storedFiles(a)).toHaveLength(before);
    expect(await a.db.select().from(media)).toHaveLength(rowsBefore);
  });

  it("answers a refused upload in the editor with 400 or 413 and the field's message, leaving nothing stored", async () => {
    const before = storedFiles(a).length;
    const svg = await post({ imageFile: file("sneaky.png", SVG, "image/png"), imageAlt: "A drawing" });
    expect(svg.status).toBe(400);
    expect(await svg.text()).toContain("imageFile: is an SVG drawing, which Mastodon cannot show");
    const big = await editor.postMultipart("/admin/accounts/vilnius/posts", {
      type: "resource",
      title: "Annual report",
      summary: "What the library did in 2025.",
      content: "Numbers and stories.",
      format: "markdown",
      language: "en",
      resourceType: "report",
      resourceDocumentFile: file(
        "report.pdf",
        Buffer.concat([PDF, Buffer.alloc(30_000, 32)]),
        "application/pdf",
      ),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("resourceDocumentFile: is 0 MB; document uploads may be at most 0 MB");
    // A good image with a bad second one: the first is not kept either.
    const mixed = await post({
      imageFile: file("photo.jpg", await image("jpeg"), "image/jpeg"),
      imageAlt: "Children reading",
      moreFile1: file("text.jpg", Buffer.from("plain text"), "image/jpeg"),
      moreAlt1: "Not really",
    });
    expect(mixed.status).toBe(400);
    expect(await mixed.text()).toContain("moreFile1: is not an image");
    expect(storedFiles(a)).toHaveLength(before);
  });

  it("streams a form's files to disk as they arrive, refuses one over every limit early, and leaves no temporary file", async () => {
    const inProgress = join(a.config.dataDir, "uploads-in-progress");
    const leftovers = () => (existsSync(inProgress) ? readdirSync(inProgress) : []);
    // Larger than the largest limit (images, 2 MB here): refused while it is still arriving.
    const huge = await post({
      webcastVideoFile: file("talk.mp4", Buffer.concat([MP4, Buffer.alloc(3 * 1024 * 1024)]), "video/mp4"),
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("webcastVideoFile: is larger than this server accepts");
    // A body cut off midway is a clear 400, not a hang or a 500.
    const boundary = "----cut-off";
    const truncated = await editor.request("/admin/accounts/vilnius/posts", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="imageFile"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nxxxx`,
    });
    expect(truncated.status).toBe(400);
    expect(await truncated.text()).toContain("form: arrived incomplete or malformed");
    const ok = await post({
      imageFile: file("photo.jpg", await image("jpeg"), "image/jpeg"),
      imageAlt: "Children reading",
    });
    expect(ok.status).toBe(303);
    expect(leftovers()).toEqual([]);
  });

  it("rejects an image without alt text with an inline error next to the field", async () => {
    const before = storedFiles(a).length;
    const response = await post({
      imageFile: file("photo.jpg", await image("jpeg"), "image/jpeg"),
      imageAlt: "",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(
      `<span class="error" role="alert" id="imageAlt-error">${en["validation.alt-missing"]}</span>`,
    );
    expect(html).toMatch(
      /<input name="imageAlt" value="" aria-invalid="true" aria-describedby="imageAlt-error"/,
    );
    expect(storedFiles(a)).toHaveLength(before);
  });

  it("keeps an upright, resized copy without metadata and a small one, with their sizes", async () => {
    const row = await storeUpload(a, library, upload("file", "IMG_0042.JPG", await sidewaysPhoto()), {
      kinds: ["image"],
      alt: "The courtyard",
    });
    // 3000×2000 turned upright is 2000×3000; fitted within 1600 and 400 pixels.
    expect([row.width, row.height]).toEqual([1067, 1600]);
    expect(row.variants.small).toMatchObject({ width: 267, height: 400, mediaType: "image/jpeg" });
    const large = await a.storage.get(row.key);
    const small = await a.storage.get(row.variants.small?.key ?? "");
    if (!large || !small) throw new Error("the copies are not stored");
    const largeMeta = await sharp(large).metadata();
    expect([largeMeta.width, largeMeta.height]).toEqual([1067, 1600]);
    expect(largeMeta.exif).toBeUndefined();
    expect(largeMeta.orientation).toBeUndefined();
    expect((await sharp(small).metadata()).width).toBe(267);
    expect(row.byteSize).toBe(large.length);
  });

  it("serves media with their type, nosniff, a year's cache, a sandbox, and ranges for video", async () => {
    const video = await storeUpload(a, library, upload("file", "talk.mp4", MP4), { kinds: ["video"] });
    const url = mediaUrl(a.url, video.key);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("content-length")).toBe(String(MP4.length));
    expect(whole.headers.get("x-content-type-options")).toBe("nosniff");
    expect(whole.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-disposition")).toBe("inline");
    expect(whole.headers.get("content-security-policy")).toContain("sandbox");
    expect(whole.headers.get("content-security-policy")).toContain("default-src 'none'");
    await whole.arrayBuffer();

    const part = await fetch(url, { headers: { Range: "bytes=4-11" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-11/${MP4.length}`);
    expect(part.headers.get("content-length")).toBe("8");
    expect(Buffer.from(await part.arrayBuffer()).toString("latin1")).toBe("ftypisom");
    const tail = await fetch(url, { headers: { Range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(MP4.subarray(MP4.length - 10));
    const open = await fetch(url, { headers: { Range: `bytes=${MP4.length - 3}-` } });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(MP4.subarray(MP4.length - 3));
    const beyond = await fetch(url, { headers: { Range: `bytes=${MP4.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${MP4.length}`);

    const pdf = await storeUpload(a, library, upload("file", "guide.pdf", PDF), { kinds: ["document"] });
    const served = await fetch(mediaUrl(a.url, pdf.key));
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    await served.arrayBuffer();

    for (const path of [
      `/media/${video.id}/other.mp4`,
      "/media/00000000-0000-7000-8000-000000000000/video.mp4",
      "/media/../secret_key",
      "/media/nothing",
    ]) {
      const missing = await fetch(new URL(path, a.url));
      expect(missing.status, path).toBe(404);
      await missing.arrayBuffer();
    }
  });

  it("publishes an article with an uploaded lead image and more images, which B receives as Documents", async () => {
    const created = await post({
      imageFile: file("IMG_0042.JPG", await sidewaysPhoto(), "image/jpeg"),
      imageAlt: "Children reading on benches in the courtyard",
      moreFile1: file("poster.png", await image("png", 800, 600), "image/png"),
      moreAlt1: "The summer programme's poster",
    });
    expect(created.status, await created.clone().text()).toBe(303);
    const iri = new URL(created.headers.get("location") ?? "", a.url).href;
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) });
    if (!item) throw new Error("no item");
    const [lead, poster] = item.attachments;
    expect(lead).toMatchObject({
      mediaType: "image/jpeg",
      name: "Children reading on benches in the courtyard",
      width: 1067,
      height: 1600,
    });
    expect(poster).toMatchObject({ mediaType: "image/png", width: 800, height: 600 });

    const json = (await (await fetch(iri, { headers: { Accept: "application/activity+json" } })).json()) as {
      attachment: DocumentJson[];
    };
    expect(json.attachment).toEqual([
      {
        type: "Document",
        url: lead?.url,
        mediaType: "image/jpeg",
        name: "Children reading on benches in the courtyard",
        width: 1067,
        height: 1600,
      },
      {
        type: "Document",
        url: poster?.url,
        mediaType: "image/png",
        name: "The summer programme's poster",
        width: 800,
        height: 600,
      },
    ]);
    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) }),
      { what: "the article on B" },
    );
    expect(received.attachments).toEqual([
      {
        url: lead?.url,
        mediaType: "image/jpeg",
        name: "Children reading on benches in the courtyard",
        width: 1067,
        height: 1600,
      },
      {
        url: poster?.url,
        mediaType: "image/png",
        name: "The summer programme's poster",
        width: 800,
        height: 600,
      },
    ]);
    // B (like Mastodon) fetches the image from us.
    const served = await fetch(lead?.url ?? "");
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    await served.arrayBuffer();

    const page = await (await fetch(iri, { headers: { Accept: "text/html" } })).text();
    expect(page).toContain(`<meta property="og:image" content="${lead?.url}"/>`);
    expect(page).toContain(
      `<figure class="lead-image"><img src="${lead?.url}" alt="Children reading on benches in the courtyard" width="1067" height="1600"/></figure>`,
    );
    expect(page).toMatch(
      /<ul class="gallery"[^>]*><li><figure><a href="[^"]+\/large\.png"><img src="[^"]+\/small\.png" alt="The summer programme&#39;s poster"/,
    );
  });

  it("takes a resource's PDF and a webcast's video and thumbnail as uploads instead of links", async () => {
    const common = {
      summary: "For librarians.",
      content: "Details inside.",
      format: "markdown",
      language: "en",
    };
    const resource = await editor.postMultipart("/admin/accounts/vilnius/posts", {
      ...common,
      type: "resource",
      title: "Guidelines",
      resourceType: "methodological-guideline",
      resourceDocumentFile: file("guidelines.pdf", PDF, "application/pdf"),
    });
    expect(resource.status, await resource.clone().text()).toBe(303);
    const guide = await a.db.query.items.findFirst({
      where: (t, { eq }) => eq(t.iri, new URL(resource.headers.get("location") ?? "", a.url).href),
    });
    expect(guide?.details).toMatchObject({ documentType: "application/pdf" });
    const documentUrl = guide?.details?.kind === "resource" ? guide.details.documentUrl : undefined;
    expect(documentUrl).toMatch(/\/media\/[0-9a-f-]{36}\/document\.pdf$/);

    const webcast = await editor.postMultipart("/admin/accounts/vilnius/posts", {
      ...common,
      type: "webcast",
      title: "Reading aloud, recorded",
      webcastDuration: "0:45:00",
      webcastVideoFile: file("talk.mp4", MP4, "video/mp4"),
      webcastThumbnailFile: file("still.png", await image("png", 640, 360), "image/png"),
    });
    expect(webcast.status, await webcast.clone().text()).toBe(303);
    const video = await a.db.query.items.findFirst({
      where: (t, { eq }) => eq(t.iri, new URL(webcast.headers.get("location") ?? "", a.url).href),
    });
    expect(video?.details).toMatchObject({ kind: "webcast", videoType: "video/mp4", durationSeconds: 2700 });
    const details = video?.details?.kind === "webcast" ? video.details : undefined;
    expect(details?.videoUrl).toMatch(/\/media\/[0-9a-f-]{36}\/video\.mp4$/);
    expect(details?.thumbnailUrl).toMatch(/\/media\/[0-9a-f-]{36}\/large\.png$/);
    const json = (await (
      await fetch(video?.iri ?? "", { headers: { Accept: "application/activity+json" } })
    ).json()) as { attachment: DocumentJson[] };
    expect(json.attachment).toEqual([
      { type: "Document", url: details?.videoUrl, mediaType: "video/mp4", name: "Reading aloud, recorded" },
    ]);
  });

  it("keeps the images on edit unless removed, and refuses a fifth", async () => {
    const created = await post({
      imageFile: file("one.jpg", await image("jpeg"), "image/jpeg"),
      imageAlt: "First",
      moreFile1: file("two.png", await image("png"), "image/png"),
      moreAlt1: "Second",
    });
    const iri = new URL(created.headers.get("location") ?? "", a.url).href;
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, iri) });
    if (!item) throw new Error("no item");
    const edit = `/admin/accounts/vilnius/posts/${item.id}`;
    const form = await editor.page(`${edit}/edit`);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toContain(`name="keepUrl0" value="${item.attachments[0]?.url}"`);
    expect(form.html).toContain('name="removeImage1"');
    const base = {
      type: "article",
      title: "Summer reading in the courtyard",
      summary: "Children read in the library's courtyard all summer.",
      content: "Every Wednesday in July.",
      format: "markdown",
      language: "en",
      keepUrl0: item.attachments[0]?.url ?? "",
      keepAlt0: "First, described better",
      keepUrl1: item.attachments[1]?.url ?? "",
      keepAlt1: "Second",
    };
    const tooMany = await editor.postMultipart(edit, {
      ...base,
      moreFile1: file("3.gif", await image("gif"), "image/gif"),
      moreAlt1: "Third",
      moreFile2: file("4.webp", await image("webp"), "image/webp"),
      moreAlt2: "Fourth",
      moreFile3: file("5.jpg", await image("jpeg"), "image/jpeg"),
      moreAlt3: "Fifth",
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain("images: at most 4 images");

    const edited = await editor.postMultipart(edit, { ...base, removeImage1: "1" });
    expect(edited.status).toBe(303);
    const after = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.id, item.id) });
    expect(after?.attachments).toEqual([{ ...item.attachments[0], name: "First, described better" }]);
  });
});

describe("media from the command line", { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  const cli = (args: string[]) => runCli(args, env);
  const mediaFiles = () => {
    const root = join(env.DATA_DIR ?? "", "media");
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "baltic-media-cli-"));
    env = { DATABASE_URL: database.url, DATA_DIR: join(dir, "data"), PUBLIC_URL: "https://lib.example" };
    writeFileSync(join(dir, "courtyard.jpg"), await image("jpeg", 2000, 1000));
    writeFileSync(join(dir, "notes.jpg"), "plain text, not a photo");
    writeFileSync(join(dir, "guide.pdf"), PDF);
    const account = await cli([
      "accounts",
      "create",
      "--username",
      "vilnius",
      "--name",
      "Vilnius Public Library",
    ]);
    expect(account.code, account.stderr).toBe(0);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("uploads a file and prints its URL, and refuses one whose bytes are no image", async () => {
    const help = await cli(["media", "upload", "--help"]);
    expect(help.stdout).toContain("Usage: npm run cli -- media upload <file> --account U [options]");
    expect(help.stdout).toContain("--alt TEXT");

    const photo = await cli([
      "media",
      "upload",
      join(dir, "courtyard.jpg"),
      "--account",
      "vilnius",
      "--alt",
      "The courtyard",
    ]);
    expect(photo.code, photo.stderr).toBe(0);
    expect(photo.stdout.trim()).toMatch(/^https:\/\/lib\.example\/media\/[0-9a-f-]{36}\/large\.jpg$/);
    const pdf = await cli(["media", "upload", join(dir, "guide.pdf"), "--account", "vilnius"]);
    expect(pdf.stdout.trim()).toMatch(/\/media\/[0-9a-f-]{36}\/document\.pdf$/);
    const rows = await database.db.select().from(media).orderBy(media.id);
    expect(rows.map((r) => [r.mediaType, r.width, r.height, r.alt])).toEqual([
      ["image/jpeg", 1600, 800, "The courtyard"],
      ["application/pdf", null, null, null],
    ]);
    expect(mediaFiles()).toHaveLength(3); // large and small copies, and the PDF

    const text = await cli(["media", "upload", join(dir, "notes.jpg"), "--account", "vilnius"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain("Error: --file: is not an image (jpeg, png, gif, webp or avif)");
    expect(mediaFiles()).toHaveLength(3);
  });

  it("publishes a post with --image-file as its lead image, and needs its alt text", async () => {
    const args = ["posts", "create", "--account", "vilnius", "--title", "Courtyard reading", "--summary"];
    const noAlt = await cli([
      ...args,
      "Reading outside.",
      "--content",
      "<p>All July.</p>",
      "--language",
      "en",
      "--image-file",
      join(dir, "courtyard.jpg"),
    ]);
    expect(noAlt.code).toBe(1);
    expect(noAlt.stderr).toContain("--image-file needs --image-alt");
    const created = await cli([
      ...args,
      "Reading outside.",
      "--content",
      "<p>All July.</p>",
      "--language",
      "en",
      "--image-file",
      join(dir, "courtyard.jpg"),
      "--image-alt",
      "Benches in the courtyard",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const item = await database.db.query.items.findFirst({
      where: (t, { eq }) => eq(t.iri, created.stdout.trim()),
    });
    expect(item?.attachments).toEqual([
      expect.objectContaining({
        mediaType: "image/jpeg",
        width: 1600,
        height: 800,
        name: "Benches in the courtyard",
      }),
    ]);
    expect(item?.attachments[0]?.url).toMatch(/^https:\/\/lib\.example\/media\/[0-9a-f-]{36}\/large\.jpg$/);
    const updated = await cli([
      "posts",
      "update",
      created.stdout.trim(),
      "--title",
      "Courtyard reading in July",
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    const after = await database.db.query.items.findFirst({ where: (t, { eq }) => eq(t.id, item?.id ?? "") });
    expect(after?.attachments).toEqual(item?.attachments);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { ValidationError } from "../server/domain/errors.ts";
import { MAX_SUMMARY, MAX_TITLE, preparePost } from "../server/domain/posts.ts";
import { inspectImage } from "../server/ingest/image.ts";
import { createLibraryAccount } from "../server/services/profile.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type ImageServer, sampleImages, startImageServer } from "./support/images.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** What Mastodon and Misskey can show (DESIGN.md §4): image types read from bytes; name and summary limits. */
describe("images and length limits", () => {
  let instance: InProcessInstance;
  let images: ImageServer;

  beforeAll(async () => {
    [instance, images] = await Promise.all([startInProcess(), startImageServer()]);
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), images?.close()]);
  });

  it("reads the type and size of jpeg, png, gif, webp and avif from their bytes", async () => {
    const samples = await sampleImages();
    const expected: Record<string, string> = {
      "photo.jpg": "image/jpeg",
      "logo.png": "image/png",
      "anim.gif": "image/gif",
      "pic.webp": "image/webp",
      "pic.avif": "image/avif",
    };
    for (const [name, mediaType] of Object.entries(expected)) {
      const body = samples[name]?.body ?? Buffer.alloc(0);
      expect(await inspectImage(body, "image"), name).toEqual({ mediaType, width: 64, height: 48 });
    }
  });

  it("refuses SVG (even named .png) and files that are no image, naming the field", async () => {
    const samples = await sampleImages();
    await expect(inspectImage(samples["sneaky.png"]?.body ?? Buffer.alloc(0), "icon")).rejects.toThrow(
      "icon: is SVG; use jpeg, png, gif, webp or avif",
    );
    await expect(inspectImage(samples["text.jpg"]?.body ?? Buffer.alloc(0), "image")).rejects.toThrow(
      "image: is not an image (use jpeg, png, gif, webp or avif)",
    );
  });

  it("refuses an article whose image is SVG or cannot be fetched, and stores nothing", async () => {
    const account = await createAccount(instance.db, { username: "rezekne", name: "Rēzekne library" });
    const post = (imageUrl: string) =>
      publishPost(instance, account, {
        title: "Poster",
        summary: "The poster of the reading week.",
        content: "<p>See the poster.</p>",
        language: "en",
        imageUrl,
        imageAlt: "The poster",
      });
    await expect(post(images.url("drawing.svg"))).rejects.toThrow("image: is SVG");
    await expect(post(images.url("missing.png"))).rejects.toThrow(
      /image: could not be fetched: .* answered 404/,
    );
    expect(await instance.db.query.items.findMany()).toEqual([]);
    const stored = await post(images.url("pic.avif"));
    expect(stored.attachments).toEqual([
      { url: images.url("pic.avif"), name: "The poster", mediaType: "image/avif", width: 64, height: 48 },
    ]);
  });

  it("refuses an SVG avatar or header for a library account", async () => {
    const input = { username: "cesis", name: "Cēsis library" };
    await expect(
      createLibraryAccount(instance, { ...input, iconUrl: images.url("sneaky.png") }),
    ).rejects.toThrow("icon: is SVG");
    await expect(
      createLibraryAccount(instance, { ...input, imageUrl: images.url("drawing.svg") }),
    ).rejects.toThrow("image: is SVG");
    const account = await createLibraryAccount(instance, { ...input, iconUrl: images.url("logo.png") });
    expect(account.iconUrl).toBe(images.url("logo.png"));
  });

  it("limits the title to 250 and the plain-text summary to 500 characters, with a clear error", () => {
    const base = { title: "T", content: "<p>Body.</p>", language: "en" };
    expect(() => preparePost({ ...base, title: "x".repeat(MAX_TITLE + 1) })).toThrow(
      new ValidationError("title", "must be at most 250 characters (it has 251)"),
    );
    expect(() => preparePost({ ...base, summary: "y".repeat(MAX_SUMMARY + 1) })).toThrow(
      new ValidationError("summary", "must be at most 500 characters (it has 501)"),
    );
    expect(preparePost({ ...base, title: "x".repeat(MAX_TITLE) }).title).toHaveLength(250);
    // Markup typed into the summary becomes plain text: Misskey would show the tags literally.
    expect(preparePost({ ...base, summary: "<p>Rock &amp; <b>roll</b></p>" }).summary).toBe("Rock & roll");
  });
});

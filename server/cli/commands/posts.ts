import { requireAccount } from "../../domain/accounts.ts";
import type { Item } from "../../domain/items.ts";
import { findItemByIri } from "../../domain/items.ts";
import {
  POST_TYPES,
  type PostInput,
  type PostType,
  postTypeOf,
  translationInputs,
  writtenSummary,
} from "../../domain/posts.ts";
import type { Services } from "../../services/context.ts";
import { editPost, publishPost, removePost } from "../../services/publishing.ts";
import { type Command, list, optional, readTextFile, required, UsageError } from "../command.ts";
import { imageFileOption, uploadImageOption } from "./media.ts";
import {
  eventInputFrom,
  eventOptions,
  practiceInputFrom,
  practiceOptions,
  resourceInputFrom,
  resourceOptions,
  webcastInputFrom,
  webcastOptions,
} from "./type-options.ts";

async function ownArticle(services: Services, url: string) {
  const item = await findItemByIri(services.db, url);
  if (!item?.accountId || item.deletedAt) throw new UsageError(`no publication of ours at ${url}`);
  return item;
}

const url = { name: "url", help: "The publication's URL, as `posts create` printed it" };

function postType(values: Record<string, unknown>): PostType {
  const type = optional(values, "type") ?? "article";
  if (!(type in POST_TYPES)) {
    throw new UsageError(`--type must be one of ${Object.keys(POST_TYPES).join(", ")}, got "${type}"`);
  }
  return type as PostType;
}

export const postCommands: Command[] = [
  {
    name: "posts create",
    summary:
      "Publish an article, event, resource, good practice or webcast, queue a Create for the account's followers and print its URL.",
    options: {
      type: {
        type: "string",
        value: "article|event|resource|practice|webcast",
        help: "What to publish (default article)",
      },
      account: { type: "string", value: "U", required: true, help: "Username of the publishing account" },
      title: {
        type: "string",
        value: "T",
        required: true,
        help: "Title, at most 250 characters (the name Mastodon shows in bold)",
      },
      summary: {
        type: "string",
        value: "S",
        required: true,
        help: "Plain text that stands alone, at most 500 characters: Mastodon shows it instead of the body",
      },
      content: { type: "string", value: "HTML", help: "The body (or use --content-file)" },
      "content-file": {
        type: "string",
        value: "F",
        help: "Read the body from a file; a .md file is Markdown",
      },
      markdown: { type: "boolean", help: "The body is Markdown, not HTML" },
      language: { type: "string", value: "lt", help: "Language code of the text, such as lt, lv or en" },
      tag: { type: "string", value: "T", multiple: true, help: "A hashtag (repeat for more)" },
      image: {
        type: "string",
        value: "URL",
        help: "An image to attach: jpeg, png, gif, webp or avif (needs --image-alt)",
      },
      "image-alt": {
        type: "string",
        value: "TEXT",
        help: "The image described for people who cannot see it",
      },
      ...imageFileOption,
      ...eventOptions,
      ...resourceOptions,
      ...practiceOptions,
      ...webcastOptions,
    },
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "account"));
      const inline = optional(values, "content");
      const file = optional(values, "content-file");
      if ((inline == null) === (file == null)) {
        throw new UsageError("give exactly one of --content and --content-file");
      }
      const content = file != null ? readTextFile("content-file", file) : inline;
      const type = postType(values);
      const upload = await uploadImageOption(services, account, values);
      const item = await publishPost(services, account, {
        type,
        event: type === "event" ? eventInputFrom(values) : undefined,
        resource: type === "resource" ? resourceInputFrom(values) : undefined,
        practice: type === "practice" ? practiceInputFrom(values) : undefined,
        webcast: type === "webcast" ? webcastInputFrom(values) : undefined,
        title: required(values, "title"),
        summary: required(values, "summary"),
        content: content ?? "",
        format: values.markdown === true || file?.endsWith(".md") ? "markdown" : "html",
        language: optional(values, "language"),
        tags: list(values, "tag") ?? [],
        imageUrl: optional(values, "image"),
        imageAlt: optional(values, "image-alt"),
        images: upload.images,
      }).catch(upload.discard);
      console.log(item.iri);
    },
  },
  {
    name: "posts update",
    summary:
      "Change one of our publications (options left out keep their values); followers receive an Update.",
    arguments: [url],
    options: {
      title: { type: "string", value: "T", help: "New title" },
      summary: { type: "string", value: "S", help: "New summary" },
      content: { type: "string", value: "HTML", help: "New body" },
      "content-file": {
        type: "string",
        value: "F",
        help: "Read the new body from a file; a .md file is Markdown",
      },
      language: { type: "string", value: "lt", help: "New language code" },
      tag: { type: "string", value: "T", multiple: true, help: "Replaces all hashtags (repeat for more)" },
      ...eventOptions,
      ...resourceOptions,
      ...practiceOptions,
      ...webcastOptions,
    },
    async run(services, values, [target]) {
      const item = await ownArticle(services, target ?? "");
      const updated = await editPost(services, item, inputFromItem(item, values));
      console.log(updated.iri);
    },
  },
  {
    name: "posts translate",
    summary:
      "Add or replace one of our publications' version in another language (nameMap, summaryMap, contentMap); followers receive an Update.",
    arguments: [url],
    options: {
      language: { type: "string", value: "lv", required: true, help: "The version's language code" },
      title: { type: "string", value: "T", help: "Its title (required unless --remove)" },
      summary: { type: "string", value: "S", help: "Its summary (made from the body when left out)" },
      content: { type: "string", value: "HTML", help: "Its body (or use --content-file)" },
      "content-file": {
        type: "string",
        value: "F",
        help: "Read its body from a file; a .md file is Markdown",
      },
      remove: { type: "boolean", help: "Remove the version in --language instead" },
    },
    async run(services, values, [target]) {
      const item = await ownArticle(services, target ?? "");
      const language = required(values, "language");
      const others = translationInputs(item).filter((v) => v.language !== language);
      if (values.remove === true) {
        if (!item.translations?.[language]) throw new UsageError(`it has no version in ${language}`);
      } else {
        const file = optional(values, "content-file");
        const content = file != null ? readTextFile("content-file", file) : optional(values, "content");
        if (!content) throw new UsageError("give --content or --content-file");
        others.push({
          language,
          title: required(values, "title"),
          summary: optional(values, "summary"),
          content,
          format: file?.endsWith(".md") ? "markdown" : "html",
        });
      }
      const updated = await editPost(services, item, { ...inputFromItem(item, {}), translations: others });
      console.log(updated.iri);
    },
  },
  {
    name: "posts delete",
    summary: "Delete one of our articles or events; followers receive a Delete and its URL answers 410 Gone.",
    arguments: [url],
    options: {},
    async run(services, _values, [target]) {
      const item = await ownArticle(services, target ?? "");
      await removePost(services, item);
      console.log(`Deleted ${item.iri}`);
    },
  },
];

/** The item as input again, with what the options change (left-out options keep their values). */
function inputFromItem(item: Item, values: Record<string, unknown>): PostInput {
  const file = optional(values, "content-file");
  const type = postTypeOf(item);
  return {
    type,
    event: type === "event" ? eventInputFrom(values, item) : undefined,
    resource: type === "resource" ? resourceInputFrom(values, item) : undefined,
    practice: type === "practice" ? practiceInputFrom(values, item) : undefined,
    webcast: type === "webcast" ? webcastInputFrom(values, item) : undefined,
    title: optional(values, "title") ?? item.title,
    summary: optional(values, "summary") ?? writtenSummary(item),
    content: file ? readTextFile("content-file", file) : (optional(values, "content") ?? item.content),
    format: file?.endsWith(".md") ? "markdown" : "html",
    language: optional(values, "language") ?? item.language ?? undefined,
    translations: translationInputs(item),
    tags: list(values, "tag") ?? item.tags,
    // Every image it has, the lead first (an update keeps them as they were checked).
    images: item.attachments.map((a) => ({ url: a.url, alt: a.name ?? "" })),
  };
}

import { requireAccount } from "../../domain/accounts.ts";
import { importFeedOnce } from "../../services/feed-poller.ts";
import { importPageAs } from "../../services/imports.ts";
import { type Command, optionalNumber, required, UsageError } from "../command.ts";
import { progressOnStderr } from "../progress.ts";

const account = {
  type: "string",
  value: "U",
  required: true,
  help: "Username of the importing account",
} as const;

export const importCommands: Command[] = [
  {
    name: "import page",
    summary:
      "Import a web page's article (Readability) as a draft to review in the admin, or publish it with --publish; prints the draft's admin URL or the post's URL.",
    arguments: [{ name: "url", help: "The page to import (http or https)" }],
    options: {
      account,
      publish: {
        type: "boolean",
        help: "Publish at once instead of saving a draft (followers receive a Create)",
      },
    },
    async run(services, values, [url = ""]) {
      const owner = await requireAccount(services.db, required(values, "account"));
      const result = await importPageAs(services, owner, url, { publish: values.publish === true });
      if (result.kind === "post") {
        console.log(result.item.iri);
        return;
      }
      const admin = new URL(
        `/admin/accounts/${owner.username}/drafts/${result.draft.id}`,
        services.config.publicUrl,
      );
      if (result.existing) console.error("This page was imported before; its draft is unchanged.");
      console.log(admin.href);
    },
  },
  {
    name: "import feed",
    summary:
      "Import the entries of an RSS or Atom feed as drafts (or posts with --publish), skipping those imported before; progress on stderr, then a summary.",
    arguments: [{ name: "url", help: "The feed (RSS 1/2 or Atom, http or https)" }],
    options: {
      account,
      limit: { type: "string", value: "N", help: "Only the newest N entries" },
      publish: {
        type: "boolean",
        help: "Publish the entries instead of saving drafts (followers receive a Create each)",
      },
    },
    async run(services, values, [url = ""]) {
      const owner = await requireAccount(services.db, required(values, "account"));
      const limit = optionalNumber(values, "limit");
      if (limit != null && (!Number.isInteger(limit) || limit < 1)) {
        throw new UsageError(`--limit must be a positive whole number, got "${limit}"`);
      }
      const progress = progressOnStderr("Importing");
      const summary = await importFeedOnce(services, owner, url, {
        mode: values.publish === true ? "publish" : "draft",
        limit,
        onProgress: (done, total, s) =>
          progress.update(
            done,
            total,
            `imported ${s.imported}, skipped ${s.skipped}, failed ${s.failed.length}`,
          ),
      });
      progress.finish();
      console.log(
        `Imported ${summary.imported}, skipped ${summary.skipped} (imported before), failed ${summary.failed.length} of ${summary.total} entries`,
      );
      for (const failure of summary.failed) console.log(`failed\t${failure.entry}\t${failure.reason}`);
      if (summary.failed.length > 0) {
        throw new UsageError(`${summary.failed.length} of ${summary.total} entries failed (listed above)`);
      }
    },
  },
];

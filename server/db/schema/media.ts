import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";

/** A smaller copy of an uploaded image (the small one for galleries and previews). */
export interface MediaVariant {
  /** Storage key, such as `<id>/small.webp`. */
  key: string;
  mediaType: string;
  byteSize: number;
  width: number;
  height: number;
}

/**
 * A file an editor uploaded: an image (resized, its metadata stripped), a PDF or a video. Its
 * bytes live in the media storage (server/storage/) under `key`; its type was read from them.
 */
export const media = pgTable(
  "media",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Storage key of the file we serve, such as `<id>/large.jpg` or `<id>/file.pdf`. */
    key: text("key").notNull().unique(),
    /** Read from the bytes, never from the name or the browser's claim. */
    mediaType: text("media_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    width: integer("width"),
    height: integer("height"),
    variants: jsonb("variants").$type<Record<string, MediaVariant>>().notNull().default({}),
    alt: text("alt"),
    /** The uploaded file's name, shown to editors only (never used to decide anything). */
    originalName: text("original_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("media_account_idx").on(t.accountId, t.createdAt.desc())],
);

import { eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { type ItemAttachment, media } from "../db/schema/index.ts";

export type Media = typeof media.$inferSelect;
export type NewMedia = typeof media.$inferInsert;

/** `/media/<uuid>/<name>.<ext>`: the only paths we serve media at (storage keys are the rest). */
const MEDIA_PATH =
  /^\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([a-z0-9-]+\.[a-z0-9]+)$/;

export function mediaUrl(origin: URL, key: string): string {
  return new URL(`/media/${key}`, origin).href;
}

/** The media id and storage key a path of ours names, or undefined for any other path. */
export function parseMediaPath(pathname: string): { id: string; key: string } | undefined {
  const match = MEDIA_PATH.exec(pathname);
  if (!match?.[1] || !match[2]) return undefined;
  return { id: match[1], key: `${match[1]}/${match[2]}` };
}

export async function insertMedia(db: Db | Tx, values: NewMedia): Promise<Media> {
  const [row] = await db.insert(media).values(values).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function findMedia(db: Db | Tx, id: string): Promise<Media | undefined> {
  return db.query.media.findFirst({ where: eq(media.id, id) });
}

export async function deleteMediaRow(db: Db | Tx, id: string): Promise<void> {
  await db.delete(media).where(eq(media.id, id));
}

/** Every storage key of an upload: the file we serve and its smaller copies. */
export function mediaKeys(row: Pick<Media, "key" | "variants">): string[] {
  return [row.key, ...Object.values(row.variants).map((v) => v.key)];
}

/** The type and size of one of an upload's files, or undefined when `key` is none of them. */
export function mediaFile(row: Media, key: string): { mediaType: string; byteSize: number } | undefined {
  if (row.key === key) return { mediaType: row.mediaType, byteSize: row.byteSize };
  return Object.values(row.variants).find((v) => v.key === key);
}

/** An uploaded image as an item's attachment: the large copy, its size, and the alt text. */
export function mediaAttachment(origin: URL, row: Media, alt: string): ItemAttachment {
  const small = row.variants.small;
  return {
    url: mediaUrl(origin, row.key),
    mediaType: row.mediaType,
    name: alt,
    ...(row.width && { width: row.width }),
    ...(row.height && { height: row.height }),
    ...(small && { previewUrl: mediaUrl(origin, small.key) }),
  };
}

/**
 * Where uploaded files' bytes live. Keys are ours (`<media id>/<name>.<ext>`), never a user's
 * file name. The filesystem implementation keeps them under DATA_DIR/media; an S3-compatible
 * one can implement the same methods (put = PutObject, stream = ranged GetObject, and so on).
 */
export interface MediaStorage {
  /**
   * Stores `body` under `key`, all or nothing: a failed put (a broken stream, a full disk) leaves
   * no file behind. Returns the number of bytes stored.
   */
  put(key: string, body: Uint8Array | ReadableStream<Uint8Array>): Promise<{ byteSize: number }>;
  /** The whole file, or undefined when there is none (small files: images). */
  get(key: string): Promise<Uint8Array | undefined>;
  /** The stored size, or undefined when there is no such file. */
  stat(key: string): Promise<{ byteSize: number } | undefined>;
  /** The bytes from `start` to `end` (inclusive), or the whole file; undefined when missing. */
  stream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Removes the file; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive, as in an HTTP Range header. */
  end: number;
}

/** Keys are made by us; this guards the implementations against anything else (`..`, `/x`). */
const KEY = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function checkKey(key: string): string {
  if (!KEY.test(key) || key.includes("..")) throw new Error(`invalid media storage key: ${key}`);
  return key;
}

import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ByteRange, checkKey, type MediaStorage } from "./media-storage.ts";

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/** Media files on the local disk, under `root` (DATA_DIR/media), one folder per upload. */
export class FilesystemStorage implements MediaStorage {
  constructor(readonly root: string) {}

  #path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, body: Uint8Array | ReadableStream<Uint8Array>): Promise<{ byteSize: number }> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written under a temporary name and renamed: a reader never sees half a file, and a failed
    // write leaves none.
    const draft = `${path}.part-${randomBytes(6).toString("hex")}`;
    let byteSize = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        byteSize += chunk.length;
        done(null, chunk);
      },
    });
    const source =
      body instanceof Uint8Array
        ? Readable.from([body])
        : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
    try {
      await pipeline(source, counter, createWriteStream(draft, { flags: "wx", mode: 0o640 }));
      await rename(draft, path);
    } catch (error) {
      await rm(draft, { force: true });
      await this.#removeEmptyFolder(path);
      throw error;
    }
    return { byteSize };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.#path(key)));
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async stat(key: string): Promise<{ byteSize: number } | undefined> {
    try {
      const info = await stat(this.#path(key));
      return info.isFile() ? { byteSize: info.size } : undefined;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | undefined> {
    if (!(await this.stat(key))) return undefined;
    const file = createReadStream(this.#path(key), range && { start: range.start, end: range.end });
    return Readable.toWeb(file) as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    await rm(path, { force: true });
    await this.#removeEmptyFolder(path);
  }

  /** An upload's folder goes with its last file. */
  async #removeEmptyFolder(path: string): Promise<void> {
    const folder = dirname(path);
    if (folder === this.root) return;
    await rmdir(folder).catch(() => {}); // not empty, or gone already: both fine
  }
}

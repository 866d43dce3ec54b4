import { join } from "node:path";
import type { Config } from "../config.ts";
import { FilesystemStorage } from "./filesystem.ts";
import type { MediaStorage } from "./media-storage.ts";

export type { ByteRange, MediaStorage } from "./media-storage.ts";

/** The media storage the configuration names (MEDIA_STORAGE); only the filesystem one exists yet. */
export function openMediaStorage(config: Pick<Config, "dataDir" | "mediaStorage">): MediaStorage {
  switch (config.mediaStorage) {
    case "filesystem":
      return new FilesystemStorage(join(config.dataDir, "media"));
  }
}

import { randomUUID } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import type { MiddlewareHandler } from "hono";
import { TooLargeError, ValidationError } from "../domain/errors.ts";
import type { AppEnv } from "./env.ts";

/** Limits of one form: the largest file (the video limit), and bounds on everything else. */
export interface MultipartLimits {
  maxFileBytes: number;
}

const MAX_FIELDS = 200;
const MAX_FILES = 10;
const MAX_FIELD_BYTES = 1024 * 1024;

/**
 * Reads a multipart/form-data body as it arrives, writing each file to `tempDir` instead of
 * memory (Hono's parseBody holds the whole body: a 500 MB video would be 500 MB of heap). Files
 * come back as `File`s backed by their temporary file, read lazily by whoever needs them.
 */
export async function readMultipart(
  request: Request,
  tempDir: string,
  limits: MultipartLimits,
): Promise<{ form: FormData; files: string[] }> {
  const form = new FormData();
  const files: string[] = [];
  if (!request.body) return { form, files };
  await mkdir(tempDir, { recursive: true });
  const parser = busboy({
    headers: { "content-type": request.headers.get("content-type") ?? "" },
    limits: {
      fileSize: limits.maxFileBytes,
      files: MAX_FILES,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
    },
  });
  const writes: Promise<void>[] = [];
  // Set from busboy's callbacks: the first thing wrong with the form.
  const state: { failure?: Error } = {};
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) state.failure ??= new ValidationError(name, "is too long");
    else form.append(name, value);
  });
  parser.on("file", (name, stream, info) => {
    const path = join(tempDir, randomUUID());
    files.push(path);
    stream.on("limit", () => {
      state.failure ??= new TooLargeError(
        name,
        `is larger than this server accepts (${limits.maxFileBytes} bytes)`,
      );
    });
    const write = pipeline(stream, createWriteStream(path)).then(async () => {
      const blob = await openAsBlob(path, { type: info.mimeType });
      form.append(name, new File([blob], info.filename ?? "", { type: info.mimeType }));
    });
    // Awaited below; marked handled now, since the form's own failure may come first.
    write.catch(() => {});
    writes.push(write);
  });
  for (const event of ["filesLimit", "fieldsLimit", "partsLimit"] as const) {
    parser.on(event, () => {
      state.failure ??= new ValidationError("form", "has more fields or files than this server accepts");
    });
  }
  try {
    await pipeline(Readable.fromWeb(request.body as NodeWebStream<Uint8Array>), parser);
    await Promise.all(writes);
  } catch (error) {
    // The files' own streams fail with the form: wait for them, so no rejection goes unhandled.
    await Promise.allSettled(writes);
    await removeFiles(files);
    if (error instanceof Error && /Unexpected end of form|Malformed/i.test(error.message)) {
      throw new ValidationError("form", "arrived incomplete or malformed");
    }
    throw error;
  }
  if (state.failure) {
    await removeFiles(files);
    throw state.failure;
  }
  return { form, files };
}

async function removeFiles(files: string[]): Promise<void> {
  await Promise.all(files.map((path) => rm(path, { force: true })));
}

/**
 * For multipart POSTs: reads the form into temporary files before the route runs and hands it
 * to Hono's body cache, so `c.req.parseBody()` in every route sees it; the files go when the
 * response is made (what a route keeps, services/media.ts has copied into the storage).
 */
export function streamedForms(tempDir: string, limits: MultipartLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (c.req.method !== "POST" || !type.startsWith("multipart/form-data")) return next();
    const { form, files } = await readMultipart(c.req.raw, tempDir, limits);
    c.req.bodyCache.formData = Promise.resolve(form) as unknown as typeof c.req.bodyCache.formData;
    try {
      await next();
    } finally {
      await removeFiles(files);
    }
  };
}

import { ValidationError } from "../domain/errors.ts";
import type { ImageMediaType } from "./image.ts";
import { SafeFetchError, type SafeFetchOptions, safeFetch } from "./safe-fetch.ts";

/**
 * Only the first bytes are asked for (a Range request); a server that ignores ranges sends the
 * whole document, which is read up to this cap.
 */
const PROBE_BYTES = 32 * 1024 * 1024;

/** ISO base media brands browsers and Mastodon play as video/mp4 (QuickTime's "qt  " is not one). */
const MP4_BRANDS = new Set(["isom", "iso2", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4"]);

/** What sniffMediaType() recognises. */
export type SniffedMediaType = "application/pdf" | "video/mp4" | "video/webm" | ImageMediaType;

/**
 * The media type that the first bytes show (not the name or the header): PDF, MP4, WebM, or one
 * of the image types Mastodon shows (jpeg, png, gif, webp, avif; ingest/image.ts then reads the
 * whole image). SVG is none of them.
 */
export function sniffMediaType(head: Uint8Array): SniffedMediaType | undefined {
  const text = new TextDecoder("latin1").decode(head.subarray(0, 64));
  if (text.startsWith("%PDF-")) return "application/pdf";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  // Bytes, not text: "latin1" decodes as windows-1252, where 0x89 is not U+0089.
  if (head[0] === 0x89 && text.slice(1, 8) === "PNG\r\n\x1a\n") return "image/png";
  if (text.startsWith("GIF87a") || text.startsWith("GIF89a")) return "image/gif";
  if (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP") return "image/webp";
  if (text.slice(4, 8) === "ftyp" && ["avif", "avis"].includes(text.slice(8, 12))) return "image/avif";
  if (text.slice(4, 8) === "ftyp" && MP4_BRANDS.has(text.slice(8, 12))) return "video/mp4";
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3 && text.includes("webm")) {
    return "video/webm";
  }
  return undefined;
}

/** An SVG drawing (refused: Mastodon cannot show it), told apart to say so in the error. */
export function looksLikeSvg(head: Uint8Array): boolean {
  const text = new TextDecoder("utf-8").decode(head.subarray(0, 1024)).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);
}

/**
 * What a link points at, read from its first bytes: the link must answer 200 through the
 * SSRF-safe fetcher; otherwise the editor hears why (naming `field`), and nothing is stored.
 */
export async function probeLink(
  url: string,
  field: string,
  options: Pick<SafeFetchOptions, "allowPrivateAddress">,
): Promise<ReturnType<typeof sniffMediaType>> {
  let response: Awaited<ReturnType<typeof safeFetch>>;
  try {
    response = await safeFetch(url, {
      allowPrivateAddress: options.allowPrivateAddress,
      maxBytes: PROBE_BYTES,
      accept: "application/pdf, video/mp4, video/webm, text/html;q=0.9, */*;q=0.5",
      headers: { Range: "bytes=0-1023" },
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new ValidationError(field, `could not be fetched: ${error.message}`);
    }
    throw error;
  }
  if (response.status !== 200 && response.status !== 206) {
    throw new ValidationError(field, `could not be fetched: ${url} answered ${response.status}`);
  }
  return sniffMediaType(response.body);
}

/** A resource's document: a PDF, or anything else (a page). */
export async function probeDocument(
  url: string,
  options: Pick<SafeFetchOptions, "allowPrivateAddress">,
): Promise<string | undefined> {
  const type = await probeLink(url, "document", options);
  return type === "application/pdf" ? type : undefined;
}

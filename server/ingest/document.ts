import { ValidationError } from "../domain/errors.ts";
import { SafeFetchError, type SafeFetchOptions, safeFetch } from "./safe-fetch.ts";

/**
 * Only the first bytes are asked for (a Range request); a server that ignores ranges sends the
 * whole document, which is read up to this cap.
 */
const PROBE_BYTES = 32 * 1024 * 1024;

/**
 * What a resource's document link points at, read from its first bytes (not its name): a PDF
 * ("%PDF-") or anything else (a page). The link must answer 200 through the SSRF-safe fetcher;
 * otherwise the editor hears why, and nothing is stored.
 */
export async function probeDocument(
  url: string,
  options: Pick<SafeFetchOptions, "allowPrivateAddress">,
): Promise<string | undefined> {
  let response: Awaited<ReturnType<typeof safeFetch>>;
  try {
    response = await safeFetch(url, {
      allowPrivateAddress: options.allowPrivateAddress,
      maxBytes: PROBE_BYTES,
      accept: "application/pdf, text/html;q=0.9, */*;q=0.5",
      headers: { Range: "bytes=0-1023" },
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new ValidationError("document", `could not be fetched: ${error.message}`);
    }
    throw error;
  }
  if (response.status !== 200 && response.status !== 206) {
    throw new ValidationError("document", `could not be fetched: ${url} answered ${response.status}`);
  }
  const head = new TextDecoder("latin1").decode(response.body.subarray(0, 5));
  return head === "%PDF-" ? "application/pdf" : undefined;
}

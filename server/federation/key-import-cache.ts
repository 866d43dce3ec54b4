import { CryptographicKey } from "@fedify/vocab";

/**
 * Fedify's queued deliveries carry the sender's private keys as JWK, and it imports them again
 * for every single delivery (RSA import costs about as much as signing). Imported CryptoKeys are
 * immutable, so this process keeps the few it has seen: `crypto.subtle.importKey` of a private
 * JWK returns the key imported before for the same JWK, algorithm and usages. Everything else
 * (public keys, other formats) goes straight to WebCrypto.
 */
const MAX_KEYS = 64;

let installed = false;

export function installKeyImportCache(): void {
  if (installed) return;
  installed = true;
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  const keys = new Map<string, Promise<CryptoKey>>();
  const cached = (...args: unknown[]): Promise<CryptoKey> => {
    const [format, keyData] = args;
    if (format !== "jwk" || typeof (keyData as JsonWebKey | null)?.d !== "string") return importKey(...args);
    const cacheKey = JSON.stringify(args);
    let key = keys.get(cacheKey);
    if (!key) {
      if (keys.size >= MAX_KEYS) keys.clear();
      key = importKey(...args);
      keys.set(cacheKey, key);
      key.catch(() => keys.delete(cacheKey));
    }
    return key;
  };
  subtle.importKey = cached as typeof subtle.importKey;
}

const MAX_PARSED = 256;
let parsedInstalled = false;

/**
 * Fedify keeps the senders' public keys in its KV store as JSON-LD and, for every inbox POST,
 * parses that document again (a JSON-LD expansion) and imports its PEM (~7% of a hub's web
 * process in bench:ingest). The same document always yields the same key, and vocabulary objects
 * are immutable, so this process keeps the keys parsed from the last few documents, keyed by
 * the exact document: a rotated key is stored by Fedify as another document and parsed afresh.
 */
export function installParsedKeyCache(): void {
  if (parsedInstalled) return;
  parsedInstalled = true;
  const parse = CryptographicKey.fromJsonLd.bind(CryptographicKey);
  const parsed = new Map<string, Promise<CryptographicKey>>();
  CryptographicKey.fromJsonLd = (json, options) => {
    if (json === null || typeof json !== "object") return parse(json, options);
    const cacheKey = `${options?.baseUrl?.href ?? ""} ${JSON.stringify(json)}`;
    let key = parsed.get(cacheKey);
    if (!key) {
      if (parsed.size >= MAX_PARSED) parsed.clear();
      key = parse(json, options);
      parsed.set(cacheKey, key);
      key.catch(() => parsed.delete(cacheKey));
    }
    return key;
  };
}

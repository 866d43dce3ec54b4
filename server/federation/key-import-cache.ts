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

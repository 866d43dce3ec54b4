import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";

export type KeyType = "RSASSA-PKCS1-v1_5" | "Ed25519";

export interface StoredKeyPair {
  type: KeyType;
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
}

/** An RSA key pair (HTTP signatures for Mastodon) and an Ed25519 one (Object Integrity Proofs). */
export async function generateKeyPairs(): Promise<StoredKeyPair[]> {
  // RSA-2048 as Mastodon uses: Fedify's default of 4096 bits makes every signature ~5× slower.
  const rsa = (await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const ed25519 = await generateCryptoKeyPair("Ed25519");
  return Promise.all(
    [
      ["RSASSA-PKCS1-v1_5", rsa],
      ["Ed25519", ed25519],
    ].map(async ([type, pair]) => ({
      type: type as KeyType,
      publicKey: await exportJwk((pair as CryptoKeyPair).publicKey),
      privateKey: await exportJwk((pair as CryptoKeyPair).privateKey),
    })),
  );
}

/** Imports stored key pairs, RSA first (Mastodon uses the first key). */
export function importKeyPairs(rows: StoredKeyPair[]): Promise<CryptoKeyPair[]> {
  const sorted = [...rows].sort((a, b) =>
    a.type === "RSASSA-PKCS1-v1_5" ? -1 : b.type === "RSASSA-PKCS1-v1_5" ? 1 : 0,
  );
  return Promise.all(
    sorted.map(async (row) => ({
      publicKey: await importJwk(row.publicKey, "public"),
      privateKey: await importJwk(row.privateKey, "private"),
    })),
  );
}

import {
  type Account,
  createAccount,
  type NewAccount,
  type ProfileInput,
  updateAccount,
  validateAccount,
} from "../domain/accounts.ts";
import { sendProfileUpdate } from "../federation/outbox.ts";
import { fetchImage } from "../ingest/image.ts";
import { fedContext, type Services } from "./context.ts";

/**
 * Avatar and header must be images Mastodon and Misskey show (jpeg, png, gif, webp, avif), read
 * from their bytes; an image the profile already had is not fetched again.
 */
async function checkProfileImages(services: Services, input: ProfileInput, previous?: Account) {
  if (input.iconUrl && input.iconUrl !== previous?.iconUrl) {
    await fetchImage(input.iconUrl, "icon", services.config);
  }
  if (input.imageUrl && input.imageUrl !== previous?.imageUrl) {
    await fetchImage(input.imageUrl, "image", services.config);
  }
}

/** Creates a library account after checking its fields and images. */
export async function createLibraryAccount(services: Services, input: NewAccount): Promise<Account> {
  validateAccount(input);
  await checkProfileImages(services, input);
  return createAccount(services.db, input);
}

/** Saves a library's profile and sends the new actor to its followers. */
export async function editProfile(
  services: Services,
  account: Account,
  input: ProfileInput,
): Promise<Account> {
  validateAccount({ ...input, username: account.username });
  await checkProfileImages(services, input, account);
  const updated = await updateAccount(services.db, account.id, input);
  await sendProfileUpdate(fedContext(services), updated);
  return updated;
}

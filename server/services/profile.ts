import { type Account, type ProfileInput, updateAccount } from "../domain/accounts.ts";
import { sendProfileUpdate } from "../federation/outbox.ts";
import { fedContext, type Services } from "./context.ts";

/** Saves a library's profile and sends the new actor to its followers. */
export async function editProfile(
  services: Services,
  account: Account,
  input: ProfileInput,
): Promise<Account> {
  const updated = await updateAccount(services.db, account.id, input);
  await sendProfileUpdate(fedContext(services), updated);
  return updated;
}

import type { Db } from "../../server/db/client.ts";
import { createUser, type Role, startSession } from "../../server/domain/users.ts";
import { SESSION_COOKIE } from "../../server/http/session.ts";
import { WebClient } from "./web-client.ts";

let users = 0;

/** A user of `role` signed in to the instance at `base`, as a browser with its session cookie. */
export async function signedIn(db: Db, base: URL, role: Role): Promise<WebClient> {
  const user = await createUser(db, {
    email: `${role}${++users}@test.example`,
    password: "long-password-1",
    role,
  });
  const client = new WebClient(base);
  client.cookies.set(SESSION_COOKIE, await startSession(db, user.id));
  return client;
}

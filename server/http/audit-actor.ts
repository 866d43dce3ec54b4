import type { Context } from "hono";
import type { AuditActor } from "../domain/audit-log.ts";
import type { AppEnv } from "./env.ts";

/** Who an audited admin action is by: the signed-in user (the routes sit behind requireRole). */
export function auditActor(c: Context<AppEnv>): AuditActor {
  const user = c.get("user");
  if (!user) throw new Error("requireRole lets only signed-in users through");
  return { userId: user.id, label: user.email };
}

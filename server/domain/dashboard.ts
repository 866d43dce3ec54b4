import { and, desc, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { items } from "../db/schema/index.ts";
import type { Account } from "./accounts.ts";
import { type DeliveryProblem, deliveryProblems } from "./delivery-failures.ts";

/** One library account's line on the dashboard. */
export interface AccountFigures {
  account: Account;
  items: number;
  followers: number;
  drafts: number;
  scheduled: number;
  lastPublished: Date | null;
}

export interface RecentItem {
  iri: string;
  title: string;
  type: string;
  published: Date;
  username: string;
}

export interface Dashboard {
  accounts: AccountFigures[];
  recent: RecentItem[];
  problems: DeliveryProblem[];
}

/** What an editor opens the admin for: each account's figures, the latest posts, failed deliveries. */
export async function loadDashboard(db: Db, accounts: Account[], actorIri: (a: Account) => string) {
  const figures = await db.execute<{
    account_id: string;
    items: number;
    followers: number;
    drafts: number;
    scheduled: number;
    last_published: string | Date | null;
  }>(sql`
    SELECT a.id AS account_id,
      (SELECT count(*)::int FROM items i WHERE i.account_id = a.id AND i.deleted_at IS NULL) AS items,
      (SELECT count(*)::int FROM followers f WHERE f.account_id = a.id AND f.state = 'accepted') AS followers,
      (SELECT count(*)::int FROM drafts d WHERE d.account_id = a.id) AS drafts,
      (SELECT count(*)::int FROM drafts d WHERE d.account_id = a.id AND d.publish_at IS NOT NULL) AS scheduled,
      (SELECT max(published) FROM items i WHERE i.account_id = a.id AND i.deleted_at IS NULL) AS last_published
    FROM accounts a`);
  const byId = new Map(figures.map((row) => [row.account_id, row]));
  const usernames = new Map(accounts.map((a) => [a.id, a.username]));
  const recent = await db
    .select({
      iri: items.iri,
      title: items.title,
      type: items.type,
      published: items.published,
      accountId: items.accountId,
    })
    .from(items)
    .where(and(isNotNull(items.accountId), isNull(items.deletedAt), isNull(items.inReplyTo)))
    .orderBy(desc(items.published), desc(items.id))
    .limit(8);
  const dashboard: Dashboard = {
    accounts: accounts.map((account) => {
      const row = byId.get(account.id);
      return {
        account,
        items: row?.items ?? 0,
        followers: row?.followers ?? 0,
        drafts: row?.drafts ?? 0,
        scheduled: row?.scheduled ?? 0,
        lastPublished: row?.last_published ? new Date(row.last_published) : null,
      };
    }),
    recent: recent.map((item) => ({
      iri: item.iri,
      title: item.title,
      type: item.type,
      published: item.published,
      username: usernames.get(item.accountId ?? "") ?? "",
    })),
    problems: await deliveryProblems(db, { actorIris: accounts.map(actorIri) }),
  };
  return dashboard;
}

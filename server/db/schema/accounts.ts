import {
  boolean,
  doublePrecision,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/** A library account hosted here: one ActivityPub `Organization` actor. */
export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey(),
  username: text("username").notNull().unique(),
  name: text("name").notNull(),
  summary: text("summary").notNull().default(""),
  iconUrl: text("icon_url"),
  imageUrl: text("image_url"),
  website: text("website"),
  country: text("country"),
  city: text("city"),
  latitude: doublePrecision("latitude"),
  longitude: doublePrecision("longitude"),
  manuallyApprovesFollowers: boolean("manually_approves_followers").notNull().default(false),
  discoverable: boolean("discoverable").notNull().default(true),
  indexable: boolean("indexable").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const keyType = pgEnum("key_type", ["RSASSA-PKCS1-v1_5", "Ed25519"]);

/** Key pairs of an account, as JWK; made once at account creation. */
export const accountKeys = pgTable(
  "account_keys",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    type: keyType("type").notNull(),
    publicKey: jsonb("public_key").$type<JsonWebKey>().notNull(),
    privateKey: jsonb("private_key").$type<JsonWebKey>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.type] })],
);

/**
 * Key pairs of the instance's own actor (FEP-2677 application actor), which signs the fetches
 * the instance makes on nobody's behalf (keys and objects, for servers in authorized-fetch mode).
 */
export const instanceKeys = pgTable("instance_keys", {
  type: keyType("type").primaryKey(),
  publicKey: jsonb("public_key").$type<JsonWebKey>().notNull(),
  privateKey: jsonb("private_key").$type<JsonWebKey>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

import { Event, Note, Place } from "@fedify/vocab";
import { LanguageString } from "@fedify/vocab-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRemoteActor, type RemoteActor } from "../server/domain/remote-actors.ts";
import { toInstant } from "../server/federation/temporal.ts";
import { storeRemoteObject } from "../server/ingest/remote-object.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";
import { storeRemoteLibrary } from "./support/stored-sources.ts";

/**
 * storeRemoteObject's upsert is built once with placeholders (builtOnce): every column must still
 * get what the object says, SQL NULL for what it lacks (not the JSON `null`), and a second
 * version must replace the first, for its author only.
 */
describe("storing a received object", () => {
  let database: TestDatabase;
  let riga: RemoteActor;
  let other: RemoteActor;

  const library = async (name: string) => {
    const host = `${name}.example`;
    await storeRemoteLibrary(database.db, {
      host,
      name: `${name} library`,
      username: "library",
      country: "LV",
    });
    const actor = await findRemoteActor(database.db, `https://${host}/users/library`);
    if (!actor) throw new Error("no actor");
    return actor;
  };

  const stored = async (iri: string) => {
    // Times as text (Drizzle gives this client transparent parsers), compared as instants.
    const [row] = await database.sql<
      {
        title: string;
        details: string | null;
        updated: string | null;
        starts_at: string | null;
        ends_at: string | null;
        tags: string[];
        language: string | null;
        remote_actor_id: string;
      }[]
    >`SELECT title, jsonb_typeof(details) AS details, updated, starts_at, ends_at, tags, language, remote_actor_id
      FROM items WHERE iri = ${iri}`;
    return row;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    riga = await library("riga");
    other = await library("other");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("stores SQL NULL for what a note lacks, and the event's times and place", async () => {
    const note = new Note({
      id: new URL(`${riga.iri}/notes/1`),
      attribution: new URL(riga.iri),
      contents: [new LanguageString("<p>Lasīšanas vakars bibliotēkā katru ceturtdienu.</p>", "lv")],
      published: toInstant(new Date("2026-11-02T10:00:00Z")),
    });
    expect(await storeRemoteObject(database.db, riga, note)).not.toBeNull();
    expect(await stored(note.id?.href ?? "")).toMatchObject({
      details: null,
      updated: null,
      starts_at: null,
      ends_at: null,
      language: "lv",
    });

    const event = new Event({
      id: new URL(`${riga.iri}/events/1`),
      attribution: new URL(riga.iri),
      names: [new LanguageString("Dzejas vakars", "lv")],
      startTime: toInstant(new Date("2026-12-10T16:00:00Z")),
      endTime: toInstant(new Date("2026-12-10T18:00:00Z")),
      location: new Place({ name: "Rīgas Centrālā bibliotēka" }),
      published: toInstant(new Date("2026-11-20T09:00:00Z")),
      updated: toInstant(new Date("2026-11-21T09:00:00Z")),
    });
    await storeRemoteObject(database.db, riga, event);
    const row = await stored(event.id?.href ?? "");
    expect(row?.details).toBe("object");
    const instant = (text: string | null | undefined) => (text ? new Date(text).toISOString() : text);
    expect(instant(row?.starts_at)).toBe("2026-12-10T16:00:00.000Z");
    expect(instant(row?.ends_at)).toBe("2026-12-10T18:00:00.000Z");
    expect(instant(row?.updated)).toBe("2026-11-21T09:00:00.000Z");
  });

  it("replaces an item with its author's new version, and never another author's", async () => {
    const version = (title: string, author: RemoteActor) =>
      new Note({
        id: new URL(`${riga.iri}/notes/2`),
        attribution: new URL(author.iri),
        names: [new LanguageString(title, "lv")],
        contents: [new LanguageString("<p>Grāmatu apmaiņa skolā.</p>", "lv")],
        published: toInstant(new Date("2026-11-03T10:00:00Z")),
      });
    const iri = `${riga.iri}/notes/2`;
    await storeRemoteObject(database.db, riga, version("Grāmatu apmaiņa", riga));
    expect(await storeRemoteObject(database.db, riga, version("Grāmatu apmaiņa skolā", riga))).not.toBeNull();
    expect(await stored(iri)).toMatchObject({ title: "Grāmatu apmaiņa skolā", remote_actor_id: riga.id });
    expect(await storeRemoteObject(database.db, other, version("Forged", other))).toBeNull();
    expect(await stored(iri)).toMatchObject({ title: "Grāmatu apmaiņa skolā", remote_actor_id: riga.id });
  });
});

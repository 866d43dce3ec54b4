import { verifyObject } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { editProfile } from "../server/services/profile.ts";
import { publishPost } from "../server/services/publishing.ts";
import { insertFollowers } from "./support/followers.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { type InboxSink, startInboxSink } from "./support/sink.ts";

type Json = Record<string, unknown>;

/** What followers' servers receive (fake remote inboxes): the shapes Mastodon and Misskey need. */
describe("delivered activities (fake remote inboxes)", () => {
  let instance: InProcessInstance;
  let sink: InboxSink;

  beforeAll(async () => {
    [instance, sink] = await Promise.all([startInProcess(), startInboxSink(2)]);
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), sink?.close()]);
  });

  const delivered = (type: string) =>
    waitFor(async () => sink.deliveries.find((d) => d.type === type)?.body, { what: `a ${type}` });

  it("sends a Create with a plain-text summary, tag links and an Object Integrity Proof that verifies", async () => {
    const account = await createAccount(instance.db, { username: "ventspils", name: "Ventspils library" });
    await insertFollowers(instance.db, account.id, sink.ports.slice(0, 1), 1);
    await publishPost(instance, account, {
      title: "Summer reading",
      summary: "Children's summer reading programme: 'Read & grow'.",
      content: "<p>Details inside.</p>",
      tags: ["lasīšana"],
    });
    const create = await delivered("Create");
    const article = create.object as Json;
    expect(article.summary).toBe("Children's summer reading programme: 'Read & grow'.");
    expect([article.tag].flat()).toEqual([expect.objectContaining({ type: "Hashtag", name: "#lasīšana" })]);
    expect(String(article.content)).toContain('rel="tag"');
    // Sent as Fedify signed it: the proof over the activity still holds.
    const { signature: _ldSignature, ...withoutLd } = create;
    const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
    const verified = await verifyObject(Activity, withoutLd, {
      documentLoader,
      contextLoader: documentLoader,
    });
    expect(verified?.id?.href).toBe(create.id);
  });

  it("sends an Update of the actor whose single profile field is an array, with attributionDomains", async () => {
    const account = await createAccount(instance.db, { username: "talsi", name: "Talsi library" });
    await insertFollowers(instance.db, account.id, sink.ports.slice(1), 1);
    await editProfile(instance, account, { name: "Talsi library", website: "https://talsi.example/" });
    const update = await delivered("Update");
    const actor = update.object as Json;
    expect(actor.type).toBe("Organization");
    expect(actor.attachment).toEqual([expect.objectContaining({ type: "PropertyValue", name: "Website" })]);
    expect(actor.attributionDomains).toEqual([instance.url.host]);
    expect(JSON.stringify(update["@context"])).toContain("attributionDomains");
  });
});

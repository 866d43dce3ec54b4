import { type Context, Hono } from "hono";
import { PostForm, type PostFormValues, type PostPreview } from "../../../web/pages/admin.tsx";
import { DraftFooter } from "../../../web/pages/drafts.tsx";
import { ImportsPage } from "../../../web/pages/imports.tsx";
import type { ScheduleValues } from "../../../web/pages/schedule-fields.tsx";
import { type Account, findAccount } from "../../domain/accounts.ts";
import { scheduleDraft, unscheduleDraft } from "../../domain/draft-schedule.ts";
import { createDraft, type Draft, deleteDraft, findDraft, updateDraft } from "../../domain/drafts.ts";
import { ValidationError } from "../../domain/errors.ts";
import { instantOf, isTimeZone } from "../../domain/events.ts";
import { addFeedSource, listFeedSources, removeFeedSource } from "../../domain/feed-sources.ts";
import { fetchFeed } from "../../ingest/feed.ts";
import type { Services } from "../../services/context.ts";
import { publishDraft } from "../../services/drafts.ts";
import { importPageAs } from "../../services/imports.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import { draftValues } from "../draft-form.ts";
import type { AppEnv } from "../env.ts";
import { type Form, field, formValues, localInput, postInputFrom } from "../post-form.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";
import { withFormUploads } from "../upload-form.ts";
import { previewOf } from "./editor-preview.tsx";

async function postedForm(c: Context<AppEnv>): Promise<Form | null> {
  const form = (await c.req.parseBody()) as Form;
  return validCsrf(c, form[CSRF_FIELD]) ? form : null;
}

async function accountOf(c: Context<AppEnv>): Promise<Account | undefined> {
  return findAccount(c.get("deps").db, c.req.param("username") ?? "");
}

const adminBase = (account: Account) => `/admin/accounts/${account.username}`;

/** Schedules are typed in the library's zone unless the editor names another. */
const SCHEDULE_ZONE = "Europe/Vilnius";

function scheduleValues(draft: Draft): ScheduleValues {
  return { publishAt: localInput(draft.publishAt, SCHEDULE_ZONE), zone: SCHEDULE_ZONE };
}

/** Saves the draft as typed, then puts it on the schedule (its checks are Publish's). */
async function saveAndSchedule(deps: Services, account: Account, draft: Draft, form: Form): Promise<Draft> {
  const zone = field(form, "publishAtZone").trim() || SCHEDULE_ZONE;
  if (!isTimeZone(zone)) throw new ValidationError("publishAtZone", `"${zone}" is not a time zone`);
  const at = instantOf("publishAt", field(form, "publishAt"), zone);
  const saved = await withFormUploads(
    deps,
    account,
    form,
    postInputFrom(form),
    (input) => updateDraft(deps.db, draft, input),
    { draft: true },
  );
  return scheduleDraft(deps.db, saved, at);
}

/** A draft in the post editor: Publish, Save draft, Preview; its source and Delete below. */
function draftPage(
  c: Context<AppEnv>,
  account: Account,
  draft: Draft,
  shown: {
    values?: PostFormValues;
    error?: string;
    preview?: PostPreview;
    notice?: string;
    schedule?: ScheduleValues;
  } = {},
) {
  const t = c.get("t");
  const base = adminBase(account);
  return render(
    c,
    { title: t("drafts.edit") },
    <>
      {shown.notice && (
        <p class="notice" role="status">
          {shown.notice}
        </p>
      )}
      <PostForm
        action={`${base}/drafts/${draft.id}`}
        heading={t("drafts.edit")}
        values={shown.values ?? draftValues(draft.input, c.get("locale"))}
        csrf={c.get("csrfToken")}
        t={t}
        locale={c.get("locale")}
        error={shown.error}
        preview={shown.preview}
        saveDraft
        submitLabel={t("drafts.publish")}
        schedule={shown.schedule ?? scheduleValues(draft)}
      />
      <DraftFooter base={base} draft={draft} csrf={c.get("csrfToken")} t={t} locale={c.get("locale")} />
    </>,
    shown.error ? 400 : 200,
  );
}

/** The new-post form's "Save draft": the form as typed becomes a draft, which opens in the editor. */
export async function saveNewDraft(c: Context<AppEnv>, account: Account, form: Form): Promise<Response> {
  const deps = c.get("deps");
  const draft = await withFormUploads(
    deps,
    account,
    form,
    postInputFrom(form),
    (input) => createDraft(deps.db, account.id, { input }),
    { draft: true },
  );
  return c.redirect(`${adminBase(account)}/drafts/${draft.id}?saved=1`, 303);
}

function importsPage(
  c: Context<AppEnv>,
  account: Account,
  shown: { error?: string; notice?: string; pageUrl?: string; feedUrl?: string } = {},
) {
  return listFeedSources(c.get("deps").db, account.id).then((feeds) =>
    render(
      c,
      { title: c.get("t")("feeds.link") },
      <ImportsPage
        account={account}
        feeds={feeds}
        csrf={c.get("csrfToken")}
        t={c.get("t")}
        locale={c.get("locale")}
        {...shown}
      />,
      shown.error ? 400 : 200,
    ),
  );
}

/** Drafts, imports from web pages and the website feeds an account polls (editors and admins). */
export const draftRoutes = new Hono<AppEnv>();

// Per route, not draftRoutes.use(): mounted on /admin, a catch-all would gate every admin page.
const editors = requireRole("admin", "editor");

draftRoutes.get("/accounts/:username/drafts/:id", editors, async (c) => {
  const account = await accountOf(c);
  const draft = account && (await findDraft(c.get("deps").db, account.id, c.req.param("id")));
  if (!account || !draft) return c.notFound();
  const t = c.get("t");
  const notice = c.req.query("saved")
    ? t("drafts.saved")
    : c.req.query("existing")
      ? t("drafts.existing")
      : c.req.query("scheduled")
        ? t("schedule.done")
        : c.req.query("unscheduled")
          ? t("schedule.undone")
          : undefined;
  return draftPage(c, account, draft, { notice });
});

draftRoutes.post("/accounts/:username/drafts/:id", editors, async (c) => {
  const account = await accountOf(c);
  const draft = account && (await findDraft(c.get("deps").db, account.id, c.req.param("id")));
  if (!account || !draft) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    const deps = c.get("deps");
    if (field(form, "draft") === "1") {
      await withFormUploads(
        deps,
        account,
        form,
        postInputFrom(form),
        (input) => updateDraft(deps.db, draft, input),
        {
          draft: true,
        },
      );
      return c.redirect(`${adminBase(account)}/drafts/${draft.id}?saved=1`, 303);
    }
    if (field(form, "schedule") === "1") {
      await saveAndSchedule(deps, account, draft, form);
      return c.redirect(`${adminBase(account)}/drafts/${draft.id}?scheduled=1`, 303);
    }
    if (field(form, "preview") === "1") {
      return draftPage(c, account, draft, { values: formValues(form), preview: previewOf(form) });
    }
    const item = await withFormUploads(deps, account, form, postInputFrom(form), (input) =>
      publishDraft(deps, account, draft, input),
    );
    return c.redirect(new URL(item.iri).pathname, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return draftPage(c, account, draft, {
      values: formValues(form),
      error: error.message,
      schedule: { publishAt: field(form, "publishAt"), zone: field(form, "publishAtZone") },
    });
  }
});

draftRoutes.post("/accounts/:username/drafts/:id/unschedule", editors, async (c) => {
  const account = await accountOf(c);
  const draft = account && (await findDraft(c.get("deps").db, account.id, c.req.param("id")));
  if (!account || !draft) return c.notFound();
  if (!(await postedForm(c))) return c.text(c.get("t")("form.csrf"), 403);
  await unscheduleDraft(c.get("deps").db, draft);
  return c.redirect(`${adminBase(account)}/drafts/${draft.id}?unscheduled=1`, 303);
});

draftRoutes.post("/accounts/:username/drafts/:id/delete", editors, async (c) => {
  const account = await accountOf(c);
  const draft = account && (await findDraft(c.get("deps").db, account.id, c.req.param("id")));
  if (!account || !draft) return c.notFound();
  if (!(await postedForm(c))) return c.text(c.get("t")("form.csrf"), 403);
  await deleteDraft(c.get("deps").db, draft);
  return c.redirect(`${adminBase(account)}?saved=1`, 303);
});

draftRoutes.get("/accounts/:username/imports", editors, async (c) => {
  const account = await accountOf(c);
  if (!account) return c.notFound();
  return importsPage(c, account, {
    notice: c.req.query("attached") ? c.get("t")("feeds.attached") : undefined,
  });
});

draftRoutes.post("/accounts/:username/imports/page", editors, async (c) => {
  const account = await accountOf(c);
  if (!account) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    const result = await importPageAs(c.get("deps"), account, field(form, "url"));
    if (result.kind !== "draft") throw new Error("a page import without publish makes a draft");
    const query = result.existing ? "?existing=1" : "";
    return c.redirect(`${adminBase(account)}/drafts/${result.draft.id}${query}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return importsPage(c, account, { error: error.message, pageUrl: field(form, "url") });
  }
});

draftRoutes.post("/accounts/:username/feeds", editors, async (c) => {
  const account = await accountOf(c);
  if (!account) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  const url = field(form, "url").trim();
  try {
    // Read once now, so a wrong address or a broken feed is said here, not later on the list.
    if (url) await fetchFeed(url, c.get("deps").config);
    await addFeedSource(c.get("deps").db, account.id, { url, mode: field(form, "mode") });
    return c.redirect(`${adminBase(account)}/imports?attached=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return importsPage(c, account, { error: error.message, feedUrl: url });
  }
});

draftRoutes.post("/accounts/:username/feeds/:id/delete", editors, async (c) => {
  const account = await accountOf(c);
  if (!account) return c.notFound();
  if (!(await postedForm(c))) return c.text(c.get("t")("form.csrf"), 403);
  if (!(await removeFeedSource(c.get("deps").db, account.id, c.req.param("id")))) return c.notFound();
  return c.redirect(`${adminBase(account)}/imports?saved=1`, 303);
});

import { type Context, Hono } from "hono";
import {
  AccountAdmin,
  AdminHome,
  PostForm,
  type PostFormValues,
  type PostPreview,
} from "../../../web/pages/admin.tsx";
import { type Account, findAccount, listAccounts, type ProfileInput } from "../../domain/accounts.ts";
import { loadDashboard } from "../../domain/dashboard.ts";
import { listDrafts } from "../../domain/drafts.ts";
import { TooLargeError, ValidationError } from "../../domain/errors.ts";
import { listFollowers, listFollowing } from "../../domain/follows.ts";
import { findItemById, type Item, listItems } from "../../domain/items.ts";
import { answerFollowRequest, followRemote } from "../../services/following.ts";
import { createLibraryAccount, editProfile } from "../../services/profile.ts";
import { editPost, publishPost, removePost } from "../../services/publishing.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { formError } from "../field-error.ts";
import {
  emptyValues,
  type Form,
  field,
  formValues,
  itemValues,
  numberField,
  postInputFrom,
} from "../post-form.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";
import { withFormUploads } from "../upload-form.ts";
import { auditRoutes } from "./audit.tsx";
import { curationRoutes } from "./curation.tsx";
import { domainBlockRoutes } from "./domain-blocks.tsx";
import { draftRoutes, saveNewDraft } from "./drafts.tsx";
import { editorPreviewRoutes, previewOf } from "./editor-preview.tsx";
import { hubSourceRoutes } from "./hub-sources.tsx";
import { reportRoutes } from "./reports.tsx";

function profileFrom(form: Form): ProfileInput {
  return {
    name: field(form, "name"),
    summary: field(form, "summary"),
    country: field(form, "country") || undefined,
    city: field(form, "city") || undefined,
    latitude: numberField(form, "lat"),
    longitude: numberField(form, "lon"),
    website: field(form, "website") || undefined,
    iconUrl: field(form, "icon") || undefined,
    imageUrl: field(form, "image") || undefined,
    manuallyApprovesFollowers: field(form, "manual") === "1",
  };
}

/** Parses a POSTed form and checks its CSRF token; null (after answering 403) when it fails. */
async function postedForm(c: Context<AppEnv>): Promise<Form | null> {
  const form = (await c.req.parseBody()) as Form;
  return validCsrf(c, form[CSRF_FIELD]) ? form : null;
}

async function accountOr404(c: Context<AppEnv>): Promise<Account | null> {
  return (await findAccount(c.get("deps").db, c.req.param("username") ?? "")) ?? null;
}

async function accountPage(
  c: Context<AppEnv>,
  account: Account,
  messages: { error?: string; notice?: string } = {},
  status: 200 | 400 = 200,
) {
  const { db, config } = c.get("deps");
  const [posts, drafts, pending, followers, following] = await Promise.all([
    listItems(db, config.publicUrl, { limit: 100, accountId: account.id }),
    listDrafts(db, account.id),
    listFollowers(db, account.id, { state: "pending" }),
    listFollowers(db, account.id, { limit: 200 }),
    listFollowing(db, account.id, 200),
  ]);
  return render(
    c,
    { title: account.name },
    <AccountAdmin
      account={account}
      posts={posts.items}
      drafts={drafts}
      pending={pending}
      followers={followers}
      following={following}
      csrf={c.get("csrfToken")}
      t={c.get("t")}
      locale={c.get("locale")}
      {...messages}
    />,
    status,
  );
}

/** Headings of the publication form, per kind and mode. */
const HEADINGS = {
  article: { create: "admin.newPost", edit: "admin.editPost" },
  event: { create: "admin.newEvent", edit: "admin.editEvent" },
  resource: { create: "admin.newResource", edit: "admin.editResource" },
  practice: { create: "admin.newPractice", edit: "admin.editPractice" },
  webcast: { create: "admin.newWebcast", edit: "admin.editWebcast" },
} as const;

/** The new/edit publication form page, with the values to show and any error. */
function postFormPage(
  c: Context<AppEnv>,
  form: {
    action: string;
    /** New or edit: with the kind of the values, this picks the heading. */
    mode: "create" | "edit";
    values: PostFormValues;
    error?: ValidationError;
    preview?: PostPreview;
  },
) {
  const t = c.get("t");
  const heading = t(HEADINGS[form.values.type][form.mode]);
  const shownError = form.error && formError(t, form.error);
  // Only a new publication can be kept as a draft; an edit changes what followers already have.
  return render(
    c,
    { title: heading },
    <PostForm
      action={form.action}
      heading={heading}
      values={form.values}
      csrf={c.get("csrfToken")}
      t={t}
      locale={c.get("locale")}
      error={shownError?.summary}
      errorField={form.error?.field}
      errorInline={shownError?.inline}
      preview={form.preview}
      saveDraft={form.mode === "create"}
    />,
    form.error instanceof TooLargeError ? 413 : form.error ? 400 : 200,
  );
}

/** Admin pages for library staff: accounts, publications, follows. */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use(requireRole("admin", "editor", "curator"));
adminRoutes.route("/domains", domainBlockRoutes);
adminRoutes.route("/audit", auditRoutes);
adminRoutes.route("/reports", reportRoutes);
adminRoutes.route("/hub/sources", hubSourceRoutes);
adminRoutes.route("/curation", curationRoutes);
adminRoutes.route("/", draftRoutes);
adminRoutes.route("/", editorPreviewRoutes);

adminRoutes.get("/", async (c) => {
  const { db, config } = c.get("deps");
  const accounts = await listAccounts(db);
  const dashboard = await loadDashboard(
    db,
    accounts,
    (a) => new URL(`/users/${a.username}`, config.publicUrl).href,
  );
  return render(
    c,
    { title: c.get("t")("admin.title") },
    <AdminHome
      accounts={accounts}
      dashboard={dashboard}
      locale={c.get("locale")}
      canManage={c.get("user")?.role === "admin"}
      isHub={c.get("deps").config.instanceRole === "hub"}
      csrf={c.get("csrfToken")}
      t={c.get("t")}
    />,
  );
});

adminRoutes.post("/accounts", requireRole("admin"), async (c) => {
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    const account = await createLibraryAccount(c.get("deps"), {
      username: field(form, "username").trim(),
      ...profileFrom(form),
    });
    return c.redirect(`/admin/accounts/${account.username}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const accounts = await listAccounts(c.get("deps").db);
    return render(
      c,
      { title: c.get("t")("admin.title") },
      <AdminHome
        accounts={accounts}
        canManage
        csrf={c.get("csrfToken")}
        t={c.get("t")}
        error={error.message}
      />,
      400,
    );
  }
});

adminRoutes.get("/accounts/:username", async (c) => {
  const account = await accountOr404(c);
  if (!account) return c.notFound();
  return accountPage(c, account, { notice: c.req.query("saved") ? c.get("t")("admin.saved") : undefined });
});

const editors = requireRole("admin", "editor");

const NEW_FORMS = {
  posts: "article",
  events: "event",
  resources: "resource",
  practices: "practice",
  webcasts: "webcast",
} as const;

adminRoutes.get(
  "/accounts/:username/:kind{posts|events|resources|practices|webcasts}/new",
  editors,
  async (c) => {
    const account = await accountOr404(c);
    if (!account) return c.notFound();
    const type = NEW_FORMS[c.req.param("kind") as keyof typeof NEW_FORMS];
    return postFormPage(c, {
      action: `/admin/accounts/${account.username}/posts`,
      mode: "create",
      values: emptyValues(type, c.get("locale")),
    });
  },
);

adminRoutes.post("/accounts/:username/posts", editors, async (c) => {
  const account = await accountOr404(c);
  if (!account) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    if (field(form, "draft") === "1") return await saveNewDraft(c, account, form);
    if (field(form, "preview") === "1") {
      return postFormPage(c, {
        action: `/admin/accounts/${account.username}/posts`,
        mode: "create",
        values: formValues(form),
        preview: previewOf(form),
      });
    }
    const deps = c.get("deps");
    const item = await withFormUploads(deps, account, form, postInputFrom(form), (input) =>
      publishPost(deps, account, input),
    );
    return c.redirect(new URL(item.iri).pathname, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return postFormPage(c, {
      action: `/admin/accounts/${account.username}/posts`,
      mode: "create",
      values: formValues(form),
      error,
    });
  }
});

async function ownPost(c: Context<AppEnv>, account: Account): Promise<Item | null> {
  const item = await findItemById(c.get("deps").db, c.req.param("id") ?? "");
  return item && item.accountId === account.id && !item.deletedAt ? item : null;
}

adminRoutes.get("/accounts/:username/posts/:id/edit", editors, async (c) => {
  const account = await accountOr404(c);
  const item = account && (await ownPost(c, account));
  if (!account || !item) return c.notFound();
  return postFormPage(c, {
    action: `/admin/accounts/${account.username}/posts/${item.id}`,
    mode: "edit",
    values: itemValues(item),
  });
});

adminRoutes.post("/accounts/:username/posts/:id", editors, async (c) => {
  const account = await accountOr404(c);
  const item = account && (await ownPost(c, account));
  if (!account || !item) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    if (field(form, "preview") === "1") {
      return postFormPage(c, {
        action: `/admin/accounts/${account.username}/posts/${item.id}`,
        mode: "edit",
        values: formValues(form),
        preview: previewOf(form),
      });
    }
    const deps = c.get("deps");
    await withFormUploads(deps, account, form, postInputFrom(form), (input) => editPost(deps, item, input));
    return c.redirect(new URL(item.iri).pathname, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return postFormPage(c, {
      action: `/admin/accounts/${account.username}/posts/${item.id}`,
      mode: "edit",
      values: formValues(form),
      error,
    });
  }
});

adminRoutes.post("/accounts/:username/posts/:id/delete", editors, async (c) => {
  const account = await accountOr404(c);
  const item = account && (await ownPost(c, account));
  if (!account || !item) return c.notFound();
  if (!(await postedForm(c))) return c.text(c.get("t")("form.csrf"), 403);
  await removePost(c.get("deps"), item);
  return c.redirect(`/admin/accounts/${account.username}?saved=1`, 303);
});

adminRoutes.post("/accounts/:username/followers/:actorId/:answer{accept|reject}", editors, async (c) => {
  const account = await accountOr404(c);
  if (!account) return c.notFound();
  if (!(await postedForm(c))) return c.text(c.get("t")("form.csrf"), 403);
  const answer = c.req.param("answer") === "accept" ? "Accept" : "Reject";
  await answerFollowRequest(c.get("deps"), account, c.req.param("actorId"), answer);
  return c.redirect(`/admin/accounts/${account.username}?saved=1`, 303);
});

adminRoutes.post("/accounts/:username/following", editors, async (c) => {
  const account = await accountOr404(c);
  if (!account) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    await followRemote(c.get("deps"), account, field(form, "target"));
    return c.redirect(`/admin/accounts/${account.username}?saved=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return accountPage(c, account, { error: error.message }, 400);
  }
});

adminRoutes.post("/accounts/:username/profile", editors, async (c) => {
  const account = await accountOr404(c);
  if (!account) return c.notFound();
  const form = await postedForm(c);
  if (!form) return c.text(c.get("t")("form.csrf"), 403);
  try {
    await editProfile(c.get("deps"), account, profileFrom(form));
    return c.redirect(`/admin/accounts/${account.username}?saved=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return accountPage(c, account, { error: error.message }, 400);
  }
});

import { raw } from "hono/html";
import type { Account } from "../../server/domain/accounts.ts";
import type { Dashboard } from "../../server/domain/dashboard.ts";
import type { FollowRow } from "../../server/domain/follows.ts";
import type { Item } from "../../server/domain/items.ts";
import type { PostType } from "../../server/domain/posts.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { ActionButton, Csrf, FieldError, invalidAttributes } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";
import { AccountFields } from "./account-fields.tsx";
import { DashboardSections } from "./dashboard.tsx";
import { type DraftRow, DraftsSection } from "./drafts.tsx";
import { EventFields, type EventFormValues } from "./event-fields.tsx";
import { type FormImage, ImageFields } from "./image-fields.tsx";
import { PracticeFields, type PracticeFormValues } from "./practice-fields.tsx";
import { ResourceFields, type ResourceFormValues } from "./resource-fields.tsx";
import { ScheduleFields, type ScheduleValues } from "./schedule-fields.tsx";
import { TranslationFields, type TranslationValues } from "./translation-fields.tsx";
import { WebcastFields, type WebcastFormValues } from "./webcast-fields.tsx";

export function Flash(props: { error?: string; notice?: string }) {
  return (
    <>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
    </>
  );
}

export function AdminHome(props: {
  accounts: Account[];
  /** Each account's figures, the latest posts and failed deliveries; without it, a plain list. */
  dashboard?: Dashboard;
  locale?: Locale;
  canManage: boolean;
  /** A hub's curators find its sources from here. */
  isHub?: boolean;
  csrf: string;
  t: Translate;
  error?: string;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <Flash error={props.error} />
      {props.dashboard ? (
        <DashboardSections dashboard={props.dashboard} t={t} locale={props.locale ?? "en"} />
      ) : (
        <>
          <h2>{t("admin.accounts")}</h2>
          <ul>
            {props.accounts.map((a) => (
              <li>
                <a href={`/admin/accounts/${a.username}`}>{a.name}</a> <span class="meta">@{a.username}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {props.isHub && (
        <p>
          <a href="/admin/hub/sources">{t("hub.title")}</a>
        </p>
      )}
      {props.isHub && (
        <p>
          <a href="/admin/curation">{t("curation.title")}</a>
        </p>
      )}
      {props.canManage && (
        <>
          <p>
            <a href="/admin/domains">{t("domains.title")}</a>
          </p>
          <p>
            <a href="/admin/audit">{t("audit.title")}</a>
          </p>
          <p>
            <a href="/admin/reports">{t("reports.title")}</a>
          </p>
          <h2>{t("admin.newAccount")}</h2>
          <form method="post" action="/admin/accounts" class="stack">
            <Csrf token={props.csrf} />
            <AccountFields t={t} withUsername />
            <button type="submit">{t("form.create")}</button>
          </form>
        </>
      )}
    </>
  );
}

export interface AccountAdminProps {
  account: Account;
  posts: Item[];
  /** Drafts and the import-from-a-page form (web/pages/drafts.tsx). */
  drafts?: DraftRow[];
  pending: FollowRow[];
  followers: FollowRow[];
  following: FollowRow[];
  csrf: string;
  t: Translate;
  locale: Locale;
  error?: string;
  notice?: string;
}

export function AccountAdmin(props: AccountAdminProps) {
  const { account, t, locale, csrf } = props;
  const base = `/admin/accounts/${account.username}`;
  return (
    <>
      <h1>{account.name}</h1>
      <Flash error={props.error} notice={props.notice} />
      <p>
        <a href={`${base}/posts/new`}>{t("admin.newPost")}</a> ·{" "}
        <a href={`${base}/events/new`}>{t("admin.newEvent")}</a> ·{" "}
        <a href={`${base}/resources/new`}>{t("admin.newResource")}</a> ·{" "}
        <a href={`${base}/practices/new`}>{t("admin.newPractice")}</a> ·{" "}
        <a href={`${base}/webcasts/new`}>{t("admin.newWebcast")}</a> ·{" "}
        <a href={`/users/${account.username}`}>@{account.username}</a> ·{" "}
        <a href={`/users/${account.username}/calendar`}>{t("calendar.link")}</a>
      </p>
      <details>
        <summary>{t("admin.editProfile")}</summary>
        <form method="post" action={`${base}/profile`} class="stack">
          <Csrf token={csrf} />
          <AccountFields t={t} account={account} withUsername={false} />
          <button type="submit">{t("form.submit")}</button>
        </form>
      </details>
      <h2>{t("admin.posts")}</h2>
      <table>
        <tbody>
          {props.posts.map((post) => (
            <tr>
              <td>
                <a href={new URL(post.iri).pathname}>{post.title}</a>
                <div class="meta">{formatDate(locale, post.published)}</div>
              </td>
              <td>
                <a href={`${base}/posts/${post.id}/edit`}>{t("admin.edit")}</a>
              </td>
              <td>
                <ActionButton
                  action={`${base}/posts/${post.id}/delete`}
                  csrf={csrf}
                  label={t("admin.delete")}
                  target={post.title}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.drafts && <DraftsSection base={base} drafts={props.drafts} csrf={csrf} t={t} locale={locale} />}
      <h2>{t("admin.followRequests")}</h2>
      {props.pending.length === 0 ? (
        <p>{t("admin.noRequests")}</p>
      ) : (
        <ul>
          {props.pending.map((f) => (
            <li>
              <a href={safeHref(f.actor.url ?? f.actor.iri)}>{f.actor.name || f.actor.handle}</a> (@
              {f.actor.handle}){" "}
              <form method="post" action={`${base}/followers/${f.actor.id}/accept`} class="inline">
                <Csrf token={csrf} />
                <button type="submit">{t("admin.approve")}</button>
              </form>{" "}
              <form method="post" action={`${base}/followers/${f.actor.id}/reject`} class="inline">
                <Csrf token={csrf} />
                <button type="submit" class="secondary">
                  {t("admin.reject")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t("admin.follow")}</h2>
      <form method="post" action={`${base}/following`} class="stack">
        <Csrf token={csrf} />
        <label>
          {t("admin.followTarget")}
          <input name="target" required />
        </label>
        <button type="submit">{t("admin.follow")}</button>
      </form>
      <h2>{t("admin.following")}</h2>
      <ul>
        {props.following.map((f) => (
          <li>
            <a href={safeHref(f.actor.url ?? f.actor.iri)}>{f.actor.name || f.actor.handle}</a> (@
            {f.actor.handle}) — {t(`state.${f.state}`)}
          </li>
        ))}
      </ul>
      <h2>{t("admin.followers")}</h2>
      <ul>
        {props.followers.map((f) => (
          <li>
            <a href={safeHref(f.actor.url ?? f.actor.iri)}>{f.actor.name || f.actor.handle}</a> (@
            {f.actor.handle})
          </li>
        ))}
      </ul>
    </>
  );
}

export interface PostFormValues
  extends EventFormValues,
    ResourceFormValues,
    PracticeFormValues,
    WebcastFormValues {
  type: PostType;
  title: string;
  summary: string;
  content: string;
  format: "markdown" | "html";
  language: string;
  tags: string;
  imageUrl: string;
  imageAlt: string;
  /** The images the post has (editing), to keep or remove. */
  images?: FormImage[];
  /** Versions in other languages, by language tag. */
  translations: Record<string, TranslationValues>;
}

/** What publishing the form would store, shown before anything is saved. */
export interface PostPreview {
  title: string;
  summary: string;
  /** Sanitized HTML, as it would be stored. */
  content: string;
}

/** The preview section: the page's after a Preview submit, and POST /admin/preview's answer alone. */
export function Preview(props: { preview: PostPreview; t: Translate }) {
  const { preview, t } = props;
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t("preview.title")}</h2>
      {/* Side by side on wide screens: Mastodon's narrow card next to the full page. */}
      <div class="preview-columns">
        <div class="preview-mastodon">
          <h3>{t("preview.mastodon")}</h3>
          <div class="card">
            <p>
              <strong>{preview.title}</strong>
            </p>
            <p>{preview.summary}</p>
            <p class="meta">🔗 …</p>
          </div>
        </div>
        <div class="preview-page">
          <h3>{t("preview.page")}</h3>
          {/* Sanitized with the one allow-list, as it would be stored. */}
          <div class="content">{raw(preview.content)}</div>
        </div>
      </div>
    </section>
  );
}

export function PostForm(props: {
  action: string;
  heading: string;
  values: PostFormValues;
  csrf: string;
  t: Translate;
  locale: Locale;
  error?: string;
  /** The field the error is about, to show it next to that field too. */
  errorField?: string;
  /** The error as shown next to that field (without the field's name). */
  errorInline?: string;
  preview?: PostPreview;
  /** Adds "Save draft" (which skips the browser's required-field checks: drafts may be unfinished). */
  saveDraft?: boolean;
  /** The main button's label (a draft's form says Publish); default Save. */
  submitLabel?: string;
  /** Adds "Publish later" (drafts only: a schedule belongs to a draft). */
  schedule?: ScheduleValues;
}) {
  const { t, values } = props;
  const problem =
    props.error && props.errorField
      ? { field: props.errorField, message: props.errorInline ?? props.error }
      : undefined;
  return (
    <>
      <h1>{props.heading}</h1>
      <Flash error={props.error} />
      {/* editor-preview.js fills this as the person types; the Preview button works without it. */}
      <div id="post-preview">{props.preview && <Preview preview={props.preview} t={t} />}</div>
      {/* Multipart: the form carries image, document and video uploads. */}
      <form
        method="post"
        action={props.action}
        class="stack"
        enctype="multipart/form-data"
        data-preview="/admin/preview"
      >
        <Csrf token={props.csrf} />
        <input type="hidden" name="type" value={values.type} />
        <label>
          {t("field.title")}
          <input
            name="title"
            required
            maxlength={250}
            value={values.title}
            {...invalidAttributes("title", problem, "title-hint")}
          />
        </label>
        <FieldError field="title" problem={problem} />
        <span class="hint" id="title-hint">
          {t("field.titleHint")}
        </span>
        <label>
          {t("field.summary")}
          <textarea
            name="summary"
            rows={3}
            maxlength={500}
            class="short"
            {...invalidAttributes("summary", problem, "summary-hint")}
          >
            {values.summary}
          </textarea>
        </label>
        <FieldError field="summary" problem={problem} />
        {/* A description, not part of the label: the field's name stays "Summary". */}
        <span class="hint" id="summary-hint">
          {t("field.summaryHint")} {t("field.summaryLimit")}
        </span>
        {values.type === "event" && <EventFields values={values} t={t} />}
        {values.type === "resource" && <ResourceFields values={values} t={t} locale={props.locale} />}
        {values.type === "practice" && <PracticeFields values={values} t={t} locale={props.locale} />}
        {values.type === "webcast" && <WebcastFields values={values} t={t} />}
        <label>
          {t("field.content")}
          <textarea name="content" required {...invalidAttributes("content", problem)}>
            {values.content}
          </textarea>
        </label>
        <FieldError field="content" problem={problem} />
        <label>
          {t("field.format")}
          <select name="format">
            <option value="markdown" selected={values.format === "markdown"}>
              Markdown
            </option>
            <option value="html" selected={values.format === "html"}>
              HTML
            </option>
          </select>
        </label>
        <label>
          {t("field.language")}
          <select name="language">
            {["lt", "lv", "en", "et", "pl", "de"].map((l) => (
              <option value={l} selected={values.language === l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <TranslationFields values={values.translations} ownLanguage={values.language} t={t} />
        <label>
          {t("field.tags")}
          <input name="tags" value={values.tags} {...invalidAttributes("tag", problem)} />
        </label>
        <FieldError field="tag" problem={problem} />
        <ImageFields
          images={values.images ?? []}
          imageUrl={values.imageUrl}
          imageAlt={values.imageAlt}
          t={t}
          error={problem}
        />
        {props.schedule && <ScheduleFields values={props.schedule} t={t} />}
        <p>
          <button type="submit">{props.submitLabel ?? t("form.submit")}</button>{" "}
          {props.saveDraft && (
            <>
              <button type="submit" name="draft" value="1" class="secondary" formnovalidate>
                {t("drafts.save")}
              </button>{" "}
            </>
          )}
          <button type="submit" name="preview" value="1" class="secondary">
            {t("form.preview")}
          </button>
        </p>
      </form>
      <script src="/admin/editor-preview.js" defer />
    </>
  );
}

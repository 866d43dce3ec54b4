import { Hono } from "hono";
import { type PostPreview, Preview } from "../../../web/pages/admin.tsx";
import { ValidationError } from "../../domain/errors.ts";
import { preparePost } from "../../domain/posts.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { formError } from "../field-error.ts";
import { type Form, postInputFrom } from "../post-form.ts";
import { publicFile } from "../public-file.ts";
import { requireRole } from "../session.ts";

/** The form checked and rendered as it would be stored, without storing it (nor fetching images). */
export function previewOf(form: Form): PostPreview {
  const fields = preparePost(postInputFrom(form));
  return { title: fields.title, summary: fields.summary, content: fields.content };
}

/**
 * The post editor's live preview (under /admin, so signed in): editor-preview.js posts the form's
 * text fields to POST /admin/preview and shows the answer, the same Preview section the Preview
 * button renders, through the same previewOf (one Markdown renderer, one sanitizer, both here).
 */
export const editorPreviewRoutes = new Hono<AppEnv>();

editorPreviewRoutes.get("/editor-preview.js", publicFile("editor-preview.js"));

editorPreviewRoutes.post("/preview", requireRole("admin", "editor"), async (c) => {
  const t = c.get("t");
  const form = (await c.req.parseBody()) as Form;
  if (!validCsrf(c, form[CSRF_FIELD])) return c.text(t("form.csrf"), 403);
  try {
    return c.html(<Preview preview={previewOf(form)} t={t} />);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Half-typed forms are often invalid: the script shows this in place of the preview.
    return c.html(
      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title">{t("preview.title")}</h2>
        <p class="error">{formError(t, error).summary}</p>
      </section>,
      400,
    );
  }
});

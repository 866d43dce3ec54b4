import type { Translate } from "../i18n/index.ts";

/** One language version as typed in the editor. */
export interface TranslationValues {
  title: string;
  summary: string;
  content: string;
}

/** The languages the editor offers versions in, besides any the post already has. */
export const VERSION_LANGUAGES = ["lt", "lv", "en"] as const;

/** Field names of a version: `tr.lv.title`… */
export const translationField = (language: string, part: keyof TranslationValues) => `tr.${language}.${part}`;

/**
 * Versions of the post in other languages (nameMap, summaryMap, contentMap): each a title,
 * summary and body in the post's format. Collapsed unless one is filled in; no script needed.
 */
export function TranslationFields(props: {
  values: Record<string, TranslationValues>;
  ownLanguage: string;
  t: Translate;
}) {
  const { values, ownLanguage, t } = props;
  const languages = [...new Set([...VERSION_LANGUAGES, ...Object.keys(values)])].filter(
    (language) => language !== ownLanguage || values[language]?.title,
  );
  const filled = Object.values(values).some((v) => v.title || v.content);
  return (
    <details class="translations" open={filled}>
      <summary>{t("translations.title")}</summary>
      <p class="hint">{t("translations.hint")}</p>
      {languages.map((language) => {
        const version = values[language] ?? { title: "", summary: "", content: "" };
        const name = new Intl.DisplayNames([language], { type: "language" }).of(language) ?? language;
        // Each label names its language: "Title" alone belongs to the post's own version.
        return (
          <fieldset class="stack" lang={language}>
            <legend>{name}</legend>
            <label>
              {t("field.title")} ({name})
              <input name={translationField(language, "title")} maxlength={250} value={version.title} />
            </label>
            <label>
              {t("field.summary")} ({name})
              <textarea name={translationField(language, "summary")} rows={3} maxlength={500} class="short">
                {version.summary}
              </textarea>
            </label>
            <label>
              {t("field.content")} ({name})
              <textarea name={translationField(language, "content")} rows={6}>
                {version.content}
              </textarea>
            </label>
          </fieldset>
        );
      })}
    </details>
  );
}

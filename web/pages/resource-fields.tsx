import { RESOURCE_TYPES } from "../../server/db/schema/index.ts";
import { resourceTypeName } from "../../server/domain/resources.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** The research-resource part of the editor's form (values as typed). */
export interface ResourceFormValues {
  resourceType: string;
  resourceAuthors: string;
  resourceYear: string;
  resourceDocument: string;
}

export function ResourceFields(props: { values: ResourceFormValues; t: Translate; locale: Locale }) {
  const { t, values, locale } = props;
  return (
    <fieldset class="stack">
      <legend>{t("resource.document")}</legend>
      <label>
        {t("field.resourceType")}
        <select name="resourceType" required>
          {RESOURCE_TYPES.map((type) => (
            <option value={type} selected={values.resourceType === type}>
              {resourceTypeName(type, locale)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("field.authors")}
        <textarea name="resourceAuthors" rows={3} class="short">
          {values.resourceAuthors}
        </textarea>
      </label>
      <label>
        {t("field.year")}
        <input name="resourceYear" inputmode="numeric" pattern="[0-9]{4}" value={values.resourceYear} />
      </label>
      <label>
        {t("field.document")}
        <input name="resourceDocument" type="url" value={values.resourceDocument} />
      </label>
      <label>
        {t("media.documentFile")}
        <input name="resourceDocumentFile" type="file" accept="application/pdf" />
      </label>
    </fieldset>
  );
}

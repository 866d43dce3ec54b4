import type { Item } from "../../server/domain/items.ts";
import { resourceTypeName } from "../../server/domain/resources.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** Type, authors, year and the document: the head of a research resource's page. */
export function ResourceFacts(props: { item: Item; t: Translate; locale: Locale }) {
  const { item, t, locale } = props;
  if (item.details?.kind !== "resource") return null;
  const { resourceType, authors, year, documentUrl, documentType } = item.details;
  const href = safeHref(documentUrl);
  return (
    <dl class="event-facts">
      <dt>{t("resource.type")}</dt>
      <dd>{resourceTypeName(resourceType, locale)}</dd>
      {authors.length > 0 && (
        <>
          <dt>{t("resource.authors")}</dt>
          <dd>
            {authors.map((author, i) => (
              <>
                {i > 0 && ", "}
                <span class="p-author">{author}</span>
              </>
            ))}
          </dd>
        </>
      )}
      {year && (
        <>
          <dt>{t("resource.year")}</dt>
          <dd>{year}</dd>
        </>
      )}
      {href && (
        <>
          <dt>{t("resource.document")}</dt>
          <dd>
            <a href={href} type={documentType} rel="noopener">
              {documentType === "application/pdf" ? t("resource.openPdf") : t("resource.open")}
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}

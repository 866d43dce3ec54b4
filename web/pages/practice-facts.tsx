import type { Item } from "../../server/domain/items.ts";
import { countryName, formatPeriod, practiceWords } from "../../server/domain/practices.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** A good practice's metadata (seed 001's "Good practice details"): the head of its page. */
export function PracticeFacts(props: { item: Item; t: Translate; locale: Locale }) {
  const { item, t, locale } = props;
  if (item.details?.kind !== "practice") return null;
  const details = item.details;
  const words = practiceWords(locale);
  const rows: [string, string | undefined][] = [
    [t("practice.scope"), words.scope[details.scope]],
    [t("practice.countries"), details.countries.map((c) => countryName(c, locale)).join(", ")],
    [t("field.audience"), details.audiences.join("; ")],
    [t("practice.skill"), details.skillLevel && words.skill[details.skillLevel]],
    [
      t("practice.funding"),
      [details.fundingType && words.funding[details.fundingType], details.funder].filter(Boolean).join(": "),
    ],
    [t("practice.partnersHeading"), details.partners.join("; ")],
    [t("practice.period"), formatPeriod(details)],
    [t("practice.reach"), details.reach],
    [t("practice.contact"), details.contact],
  ];
  return (
    <section aria-labelledby="practice-details">
      <h2 id="practice-details">{t("practice.details")}</h2>
      <dl class="event-facts">
        {rows
          .filter((row): row is [string, string] => Boolean(row[1]))
          .map(([name, value]) => (
            <>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </>
          ))}
      </dl>
      {details.results && (
        <>
          <h3>{t("practice.results")}</h3>
          <p class="pre-line">{details.results}</p>
        </>
      )}
    </section>
  );
}

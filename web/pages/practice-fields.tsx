import { FUNDING_TYPES, PRACTICE_SCOPES, SKILL_LEVELS } from "../../server/db/schema/index.ts";
import { practiceWords } from "../../server/domain/practices.ts";
import type { Locale, Translate } from "../i18n/index.ts";

/** The good-practice part of the editor's form (values as typed). */
export interface PracticeFormValues {
  practiceScope: string;
  practiceCountries: string;
  practiceAudiences: string;
  practiceSkill: string;
  practiceFunding: string;
  practiceFunder: string;
  practicePartners: string;
  practicePeriodStart: string;
  practicePeriodEnd: string;
  practiceReach: string;
  practiceResults: string;
  practiceContact: string;
}

export function PracticeFields(props: { values: PracticeFormValues; t: Translate; locale: Locale }) {
  const { t, values, locale } = props;
  const words = practiceWords(locale);
  return (
    <fieldset class="stack">
      <legend>{t("practice.details")}</legend>
      <span class="hint">{t("practice.hint")}</span>
      <label>
        {t("practice.scope")}
        <select name="practiceScope" required>
          {PRACTICE_SCOPES.map((scope) => (
            <option value={scope} selected={values.practiceScope === scope}>
              {words.scope[scope]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("practice.countries")}
        <input name="practiceCountries" value={values.practiceCountries} aria-describedby="countries-hint" />
      </label>
      <span class="hint" id="countries-hint">
        {t("practice.countriesHint")}
      </span>
      <label>
        {t("practice.audiences")}
        <textarea name="practiceAudiences" rows={3} class="short">
          {values.practiceAudiences}
        </textarea>
      </label>
      <label>
        {t("practice.skill")}
        <select name="practiceSkill">
          <option value="">—</option>
          {SKILL_LEVELS.map((level) => (
            <option value={level} selected={values.practiceSkill === level}>
              {words.skill[level]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("practice.funding")}
        <select name="practiceFunding">
          <option value="">—</option>
          {FUNDING_TYPES.map((type) => (
            <option value={type} selected={values.practiceFunding === type}>
              {words.funding[type]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("practice.funder")}
        <input name="practiceFunder" value={values.practiceFunder} />
      </label>
      <label>
        {t("practice.partners")}
        <textarea name="practicePartners" rows={3} class="short">
          {values.practicePartners}
        </textarea>
      </label>
      <label>
        {t("practice.periodStart")}
        <input name="practicePeriodStart" placeholder="2025-02" value={values.practicePeriodStart} />
      </label>
      <label>
        {t("practice.periodEnd")}
        <input name="practicePeriodEnd" placeholder="2025-12" value={values.practicePeriodEnd} />
      </label>
      <label>
        {t("practice.reach")}
        <input name="practiceReach" value={values.practiceReach} />
      </label>
      <label>
        {t("practice.results")}
        <textarea name="practiceResults" rows={4} class="short">
          {values.practiceResults}
        </textarea>
      </label>
      <label>
        {t("practice.contact")}
        <input name="practiceContact" value={values.practiceContact} />
      </label>
    </fieldset>
  );
}

import type { Translate } from "../i18n/index.ts";

export interface ScheduleValues {
  /** The local date-time field's value (2026-12-03T09:00), in `zone`. */
  publishAt: string;
  zone: string;
}

/**
 * "Publish later" in a draft's editor: a local time and its zone, and a button that saves the
 * draft as typed and schedules it (the worker publishes it when due).
 */
export function ScheduleFields(props: { values: ScheduleValues; t: Translate }) {
  const { t, values } = props;
  return (
    <fieldset>
      <legend>{t("schedule.legend")}</legend>
      <p class="hint" id="schedule-hint">
        {t("schedule.hint")}
      </p>
      <label>
        {t("schedule.at")}
        <input
          name="publishAt"
          type="datetime-local"
          value={values.publishAt}
          aria-describedby="schedule-hint"
        />
      </label>
      <label>
        {t("schedule.zone")}
        <input name="publishAtZone" list="time-zones" value={values.zone} />
      </label>
      <button type="submit" name="schedule" value="1" class="secondary">
        {t("schedule.submit")}
      </button>
    </fieldset>
  );
}

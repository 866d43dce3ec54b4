import type { Translate } from "../i18n/index.ts";

/** The event part of the editor's form (values as typed: local times, text). */
export interface EventFormValues {
  eventStart: string;
  eventEnd: string;
  eventTimeZone: string;
  eventPlace: string;
  eventLat: string;
  eventLon: string;
  eventOnline: string;
  eventRegistration: string;
  eventOrganizer: string;
  eventAudience: string;
}

/** Time zones offered first; any IANA name can be typed (the list is a datalist). */
export const ZONES = [
  "Europe/Vilnius",
  "Europe/Riga",
  "Europe/Tallinn",
  "Europe/Warsaw",
  "Europe/Helsinki",
  "Europe/Berlin",
  "UTC",
];

export function EventFields(props: { values: EventFormValues; t: Translate }) {
  const { t, values } = props;
  return (
    <fieldset class="stack">
      <legend>{t("event.when")}</legend>
      <p class="hint" id="event-hint">
        {t("field.eventHint")}
      </p>
      <label>
        {t("field.start")}
        <input name="eventStart" type="datetime-local" required value={values.eventStart} />
      </label>
      <label>
        {t("field.end")}
        <input name="eventEnd" type="datetime-local" value={values.eventEnd} />
      </label>
      <label>
        {t("field.timeZone")}
        <input name="eventTimeZone" required list="time-zones" value={values.eventTimeZone} />
      </label>
      <datalist id="time-zones">
        {ZONES.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
      <label>
        {t("field.place")}
        <input name="eventPlace" maxlength={300} value={values.eventPlace} aria-describedby="event-hint" />
      </label>
      <label>
        {t("field.placeLat")}
        <input name="eventLat" inputmode="decimal" value={values.eventLat} />
      </label>
      <label>
        {t("field.placeLon")}
        <input name="eventLon" inputmode="decimal" value={values.eventLon} />
      </label>
      <label>
        {t("field.online")}
        <input name="eventOnline" type="url" value={values.eventOnline} aria-describedby="event-hint" />
      </label>
      <label>
        {t("field.registration")}
        <input name="eventRegistration" type="url" value={values.eventRegistration} />
      </label>
      <label>
        {t("field.organizer")}
        <input name="eventOrganizer" maxlength={300} value={values.eventOrganizer} />
      </label>
      <label>
        {t("field.audience")}
        <input name="eventAudience" maxlength={300} value={values.eventAudience} />
      </label>
    </fieldset>
  );
}

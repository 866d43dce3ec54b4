import type { Translate } from "../i18n/index.ts";
import { ZONES } from "./event-fields.tsx";

/** The webcast part of the editor's form (values as typed). */
export interface WebcastFormValues {
  /** "1" for live or scheduled. */
  webcastLive: string;
  webcastStart: string;
  webcastTimeZone: string;
  webcastStream: string;
  webcastVideo: string;
  webcastDuration: string;
  webcastThumbnail: string;
}

export function WebcastFields(props: { values: WebcastFormValues; t: Translate }) {
  const { t, values } = props;
  return (
    <fieldset class="stack">
      <legend>{t("webcast.details")}</legend>
      <p class="hint">{t("webcast.hint")}</p>
      <label class="inline">
        <input type="checkbox" name="webcastLive" value="1" checked={values.webcastLive === "1"} />{" "}
        {t("webcast.live")}
      </label>
      <label>
        {t("webcast.start")}
        <input name="webcastStart" type="datetime-local" value={values.webcastStart} />
      </label>
      <label>
        {t("field.timeZone")}
        <input name="webcastTimeZone" list="webcast-zones" value={values.webcastTimeZone} />
      </label>
      <datalist id="webcast-zones">
        {ZONES.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
      <label>
        {t("webcast.stream")}
        <input name="webcastStream" type="url" value={values.webcastStream} />
      </label>
      <label>
        {t("webcast.video")}
        <input name="webcastVideo" type="url" value={values.webcastVideo} aria-describedby="video-hint" />
      </label>
      <span class="hint" id="video-hint">
        {t("webcast.videoHint")}
      </span>
      <label>
        {t("media.videoFile")}
        <input name="webcastVideoFile" type="file" accept="video/mp4,video/webm" />
      </label>
      <label>
        {t("webcast.duration")}
        <input name="webcastDuration" placeholder="1:30:00" value={values.webcastDuration} />
      </label>
      <label>
        {t("webcast.thumbnail")}
        <input name="webcastThumbnail" type="url" value={values.webcastThumbnail} />
      </label>
      <label>
        {t("media.thumbnailFile")}
        <input
          name="webcastThumbnailFile"
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
        />
      </label>
    </fieldset>
  );
}

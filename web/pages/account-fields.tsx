import type { Account } from "../../server/domain/accounts.ts";
import type { Translate } from "../i18n/index.ts";

/** The library profile fields, shared by the "new account" and "edit profile" forms. */
export function AccountFields(props: { t: Translate; account?: Account; withUsername: boolean }) {
  const { t, account } = props;
  return (
    <>
      {props.withUsername && (
        <label>
          {t("field.username")}
          <input name="username" required pattern="[a-z0-9_]{1,30}" />
        </label>
      )}
      <label>
        {t("field.name")}
        <input name="name" required value={account?.name ?? ""} />
      </label>
      <label>
        {t("field.summary")}
        <textarea name="summary" rows={3} class="short">
          {account?.summary ?? ""}
        </textarea>
      </label>
      <label>
        {t("field.country")}
        <input name="country" maxlength={2} value={account?.country ?? ""} />
      </label>
      <label>
        {t("field.city")}
        <input name="city" value={account?.city ?? ""} />
      </label>
      <label>
        {t("field.latitude")}
        <input name="lat" inputmode="decimal" value={account?.latitude?.toString() ?? ""} />
      </label>
      <label>
        {t("field.longitude")}
        <input name="lon" inputmode="decimal" value={account?.longitude?.toString() ?? ""} />
      </label>
      <label>
        {t("field.website")}
        <input name="website" type="url" value={account?.website ?? ""} />
      </label>
      <label>
        {t("field.icon")}
        <input name="icon" type="url" value={account?.iconUrl ?? ""} />
      </label>
      <label>
        {t("field.header")}
        <input name="image" type="url" value={account?.imageUrl ?? ""} />
      </label>
      <label>
        <span>
          <input
            type="checkbox"
            name="manual"
            value="1"
            checked={account?.manuallyApprovesFollowers ?? false}
          />{" "}
          {t("field.manual")}
        </span>
      </label>
    </>
  );
}

import type { DomainBlock } from "../../server/domain/domain-blocks.ts";
import { Csrf } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";
import { Flash } from "./admin.tsx";

/** /admin/domains: the servers this instance does not federate with (admins only). */
export function DomainBlocksPage(props: {
  blocks: DomainBlock[];
  csrf: string;
  t: Translate;
  locale: Locale;
  error?: string;
  notice?: string;
  values?: { domain: string; reason: string };
}) {
  const { t } = props;
  return (
    <>
      <h1>{t("domains.title")}</h1>
      <p>{t("domains.intro")}</p>
      <Flash error={props.error} notice={props.notice} />
      <form method="post" action="/admin/domains" class="stack">
        <Csrf token={props.csrf} />
        <label>
          {t("domains.domain")}
          <input
            name="domain"
            required
            placeholder="example.org"
            value={props.values?.domain ?? ""}
            aria-invalid={props.error ? "true" : undefined}
          />
        </label>
        <label>
          {t("domains.reason")}
          <input name="reason" maxlength={500} value={props.values?.reason ?? ""} />
        </label>
        <button type="submit">{t("domains.block")}</button>
      </form>
      {props.blocks.length === 0 ? (
        <p class="meta">{t("domains.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("domains.domain")}</th>
              <th scope="col">{t("domains.since")}</th>
              <th scope="col">{t("domains.reason")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("domains.unblock")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.blocks.map((block) => (
              <tr>
                <td>{block.domain}</td>
                <td>{formatDate(props.locale, block.createdAt)}</td>
                <td>{block.reason}</td>
                <td>
                  <form method="post" action="/admin/domains/unblock" class="inline">
                    <Csrf token={props.csrf} />
                    <input type="hidden" name="domain" value={block.domain} />
                    <button type="submit">{t("domains.unblock")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

import type { Dashboard } from "../../server/domain/dashboard.ts";
import { ScrollTable } from "../components/scroll-table.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

/**
 * The admin's first screen (as Ghost's dashboard): each library account with its figures, the
 * latest posts, and the servers that refused or missed our deliveries this week.
 */
export function DashboardSections(props: { dashboard: Dashboard; t: Translate; locale: Locale }) {
  const { dashboard, t, locale } = props;
  const number = new Intl.NumberFormat(locale);
  return (
    <>
      <section aria-labelledby="dashboard-accounts">
        <h2 id="dashboard-accounts">{t("admin.accounts")}</h2>
        {dashboard.accounts.length === 0 ? (
          <p>{t("dashboard.noAccounts")}</p>
        ) : (
          <ScrollTable label={t("admin.accounts")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.account")}</th>
                  <th scope="col">{t("dashboard.items")}</th>
                  <th scope="col">{t("dashboard.followers")}</th>
                  <th scope="col">{t("dashboard.drafts")}</th>
                  <th scope="col">{t("dashboard.lastPublished")}</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.accounts.map((row) => (
                  <tr>
                    <th scope="row">
                      <a href={`/admin/accounts/${row.account.username}`}>{row.account.name}</a>{" "}
                      <span class="meta">@{row.account.username}</span>
                    </th>
                    <td>{number.format(row.items)}</td>
                    <td>{number.format(row.followers)}</td>
                    <td>
                      {number.format(row.drafts)}
                      {row.scheduled > 0 && (
                        <span class="meta">
                          {" "}
                          ({t("dashboard.scheduled", { count: number.format(row.scheduled) })})
                        </span>
                      )}
                    </td>
                    <td>{row.lastPublished ? formatDate(locale, row.lastPublished) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
      </section>
      <section aria-labelledby="dashboard-recent">
        <h2 id="dashboard-recent">{t("dashboard.recent")}</h2>
        {dashboard.recent.length === 0 ? (
          <p>{t("dashboard.noRecent")}</p>
        ) : (
          <ul>
            {dashboard.recent.map((item) => (
              <li>
                <a href={new URL(item.iri).pathname}>{item.title || t("drafts.untitled")}</a>{" "}
                <span class="meta">
                  @{item.username} · {formatDate(locale, item.published)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="dashboard-deliveries">
        <h2 id="dashboard-deliveries">{t("dashboard.deliveries")}</h2>
        {dashboard.problems.length === 0 ? (
          <p>{t("dashboard.noProblems")}</p>
        ) : (
          <ScrollTable label={t("dashboard.deliveries")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.server")}</th>
                  <th scope="col">{t("dashboard.failures")}</th>
                  <th scope="col">{t("dashboard.lastError")}</th>
                  <th scope="col">{t("dashboard.when")}</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.problems.map((problem) => (
                  <tr>
                    <th scope="row">{problem.host}</th>
                    <td>
                      {number.format(problem.failures)}
                      {problem.permanent > 0 && (
                        <span class="meta">
                          {" "}
                          ({t("dashboard.gaveUp", { count: number.format(problem.permanent) })})
                        </span>
                      )}
                    </td>
                    <td>{problem.lastError}</td>
                    <td>{formatDate(locale, problem.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
        <p class="hint">{t("dashboard.deliveriesHint")}</p>
      </section>
    </>
  );
}

import type { Translate } from "../i18n/index.ts";

/**
 * Keyset pagination links ("Newer", "Older"), the same on every list: a labelled navigation
 * landmark with rel=prev/next so browsers and feed readers know the order.
 */
export function Pager(props: {
  older?: string | null;
  newer?: string | null;
  t: Translate;
  label?: string;
  /** The next link's text where "Older" is wrong (results by relevance: "More results"). */
  olderText?: string;
}) {
  const { older, newer, t } = props;
  if (!older && !newer) return null;
  return (
    <nav class="pager" aria-label={props.label ?? t("pager.label")}>
      {newer && (
        <a href={newer} rel="prev">
          ← {t("pager.newer")}
        </a>
      )}
      {older && (
        <a href={older} rel="next">
          {props.olderText ?? t("pager.older")} →
        </a>
      )}
    </nav>
  );
}

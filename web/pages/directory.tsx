import type { DirectoryEntry, DirectoryQuery, DirectorySort } from "../../server/domain/directory.ts";
import {
  countryOutlines,
  MAP_HEIGHT,
  MAP_WIDTH,
  type MapTile,
  project,
} from "../../server/domain/map-outlines.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

function countryLabel(code: string | null, locale: Locale): string {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The server-drawn map: Natural Earth outlines and one linked dot per located library. No
 * role="img": an img's children are hidden from assistive technology, and the dots are links.
 */
function DirectoryMap(props: {
  libraries: DirectoryEntry[];
  t: Translate;
  /** A configured tile server's tiles under the outlines, and their credit (MAP_TILE_URL). */
  tiles?: { tiles: MapTile[]; attribution: string };
}) {
  const located = props.libraries.filter((l) => l.latitude != null && l.longitude != null);
  return (
    <figure
      class="directory-map"
      data-controls={props.t("directory.mapControls")}
      data-zoom-in={props.t("directory.zoomIn")}
      data-zoom-out={props.t("directory.zoomOut")}
      data-zoom-reset={props.t("directory.zoomReset")}
    >
      <svg
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        aria-labelledby="directory-map-title"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="directory-map-title">{props.t("directory.map")}</title>
        <rect width={MAP_WIDTH} height={MAP_HEIGHT} fill="#dbe9f4" />
        {props.tiles && (
          <g class="map-tiles">
            {props.tiles.tiles.map((tile) => (
              <image href={tile.href} x={tile.x} y={tile.y} width={tile.size} height={tile.size} />
            ))}
          </g>
        )}
        {/* Over tiles, only the borders: the tiles draw the land. */}
        <g fill={props.tiles ? "none" : "#f4f1e8"} stroke="#8a8a8a" stroke-width="0.6">
          {countryOutlines().map((c) => (
            <path d={c.path}>
              <title>{c.name}</title>
            </path>
          ))}
        </g>
        <g fill="#b3261e" stroke="#fff" stroke-width="1.5">
          {located.map((l) => {
            const [x, y] = project(l.longitude ?? 0, l.latitude ?? 0);
            return (
              <a
                href={l.url ?? l.iri}
                class="map-dot"
                data-name={l.name}
                data-city={l.city ?? ""}
                data-lat={String(l.latitude)}
                data-lon={String(l.longitude)}
              >
                <circle cx={x} cy={y} r="6">
                  <title>{[l.name, l.city].filter(Boolean).join(", ")}</title>
                </circle>
              </a>
            );
          })}
        </g>
      </svg>
      <figcaption>
        {props.t("directory.mapCaption", { count: located.length })}
        {props.tiles?.attribution && <span class="meta"> {props.tiles.attribution}</span>}
      </figcaption>
      {/* Zoom, pan and a popup for the dots; the map above works without it. */}
      <script src="/directory/map.js" defer />
    </figure>
  );
}

const SORTS: DirectorySort[] = ["name", "country", "items", "activity"];

/** /directory: the libraries a hub follows, filterable by country, with their map. */
export function DirectoryPage(props: {
  libraries: DirectoryEntry[];
  countries: string[];
  query: DirectoryQuery;
  t: Translate;
  locale: Locale;
  tiles?: { tiles: MapTile[]; attribution: string };
}) {
  const { t, locale } = props;
  return (
    <>
      <h1>{t("directory.title")}</h1>
      <p>{t("directory.intro")}</p>
      <form method="get" action="/directory" class="filters" aria-label={t("directory.filters")}>
        <label>
          {t("directory.country")}
          <select name="country">
            <option value="">{t("directory.allCountries")}</option>
            {props.countries.map((code) => (
              <option value={code} selected={props.query.country === code}>
                {countryLabel(code, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("directory.sort")}
          <select name="sort">
            {SORTS.map((sort) => (
              <option value={sort} selected={(props.query.sort ?? "name") === sort}>
                {t(`directory.sort.${sort}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("directory.apply")}</button>
      </form>
      <DirectoryMap libraries={props.libraries} t={t} tiles={props.tiles} />
      {props.libraries.length === 0 ? (
        <EmptyState message={t("directory.empty")} />
      ) : (
        <table class="directory">
          <caption>{t("directory.listCaption", { count: props.libraries.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("directory.name")}</th>
              <th scope="col">{t("directory.country")}</th>
              <th scope="col">{t("directory.city")}</th>
              <th scope="col">{t("directory.website")}</th>
              <th scope="col">{t("directory.items")}</th>
              <th scope="col">{t("directory.lastActivity")}</th>
            </tr>
          </thead>
          <tbody>
            {props.libraries.map((l) => (
              <tr>
                <th scope="row">
                  <a href={l.url ?? l.iri}>{l.name}</a> <small>@{l.handle}</small>
                </th>
                <td>{countryLabel(l.country, locale)}</td>
                <td>{l.city ?? ""}</td>
                <td>{l.website ? <a href={l.website}>{l.website.replace(/^https?:\/\//, "")}</a> : ""}</td>
                <td>{l.items}</td>
                <td>{l.lastActivity ? formatDate(locale, l.lastActivity) : t("directory.never")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

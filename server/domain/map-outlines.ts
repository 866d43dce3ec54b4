import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Geometry, Position } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

/**
 * The map's frame: northern and central Europe around the Baltic, in longitude/latitude, drawn in
 * Web Mercator: the projection of the usual map tiles, so a configured tile server's tiles
 * (MAP_TILE_URL) line up under the outlines and the dots.
 */
export const MAP_FRAME = { west: -12, east: 42, south: 44, north: 71 } as const;

/** A point in Web Mercator's unit square (x right, y down, 0–1 across the world). */
function mercator(longitude: number, latitude: number): [number, number] {
  const phi = (Math.max(-85, Math.min(85, latitude)) * Math.PI) / 180;
  return [(longitude + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
}

const [FRAME_X, FRAME_Y] = mercator(MAP_FRAME.west, MAP_FRAME.north);
const [FRAME_X2, FRAME_Y2] = mercator(MAP_FRAME.east, MAP_FRAME.south);
export const MAP_WIDTH = 600;
/** SVG units per unit of the Mercator square. */
const SCALE = MAP_WIDTH / (FRAME_X2 - FRAME_X);
export const MAP_HEIGHT = Math.round((FRAME_Y2 - FRAME_Y) * SCALE);

/** SVG coordinates of a point (x right, y down), two decimals. */
export function project(longitude: number, latitude: number): [number, number] {
  const [mx, my] = mercator(longitude, latitude);
  return [Math.round((mx - FRAME_X) * SCALE * 100) / 100, Math.round((my - FRAME_Y) * SCALE * 100) / 100];
}

export interface MapTile {
  href: string;
  x: number;
  y: number;
  size: number;
}

/**
 * The tiles of a slippy-map server (`…/{z}/{x}/{y}.png`) that cover the frame, placed in SVG
 * units. Zoom 4 draws the frame with about one tile pixel per SVG unit.
 */
export function mapTiles(template: string, zoom = 4): MapTile[] {
  const n = 2 ** zoom;
  const size = SCALE / n;
  const tiles: MapTile[] = [];
  for (let ty = Math.floor(FRAME_Y * n); ty < Math.ceil(FRAME_Y2 * n); ty++) {
    for (let tx = Math.floor(FRAME_X * n); tx < Math.ceil(FRAME_X2 * n); tx++) {
      const href = template
        .replaceAll(/\{z\}|%7Bz%7D/gi, String(zoom))
        .replaceAll(/\{x\}|%7Bx%7D/gi, String(tx))
        .replaceAll(/\{y\}|%7By%7D/gi, String(ty));
      tiles.push({ href, x: (tx / n - FRAME_X) * SCALE, y: (ty / n - FRAME_Y) * SCALE, size });
    }
  }
  return tiles;
}

function ringPath(ring: Position[]): string {
  return `${ring.map(([lon = 0, lat = 0], i) => `${i === 0 ? "M" : "L"}${project(lon, lat).join(",")}`).join("")}Z`;
}

function polygons(geometry: Geometry | null): Position[][][] {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

function inFrame(ring: Position[]): boolean {
  return ring.some(
    ([lon = 0, lat = 0]) =>
      lon >= MAP_FRAME.west - 5 &&
      lon <= MAP_FRAME.east + 5 &&
      lat >= MAP_FRAME.south - 5 &&
      lat <= MAP_FRAME.north + 5,
  );
}

export interface CountryOutline {
  name: string;
  path: string;
}

let outlines: CountryOutline[] | undefined;

/**
 * Natural Earth's 1:50m country outlines (world-atlas, bundled: no network) inside the frame,
 * as SVG path data; computed once per process.
 */
export function countryOutlines(): CountryOutline[] {
  if (outlines) return outlines;
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(
    readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"),
  ) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const collection = feature(topology, topology.objects.countries);
  outlines = collection.features.flatMap((country) => {
    const rings = polygons(country.geometry).flatMap((polygon) => polygon.filter(inFrame));
    if (rings.length === 0) return [];
    return [{ name: country.properties?.name ?? "", path: rings.map(ringPath).join("") }];
  });
  return outlines;
}

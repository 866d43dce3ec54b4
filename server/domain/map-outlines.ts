import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Geometry, Position } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

/**
 * The map's frame: northern and central Europe around the Baltic, in longitude/latitude. The
 * projection is equirectangular with longitudes shrunk by cos(57°), which keeps the Baltic's
 * shapes recognisable at this scale without a projection library.
 */
export const MAP_FRAME = { west: -12, east: 42, south: 44, north: 71 } as const;
const SHRINK = Math.cos((57 * Math.PI) / 180);
export const MAP_WIDTH = Math.round((MAP_FRAME.east - MAP_FRAME.west) * SHRINK * 20);
export const MAP_HEIGHT = (MAP_FRAME.north - MAP_FRAME.south) * 20;

/** SVG coordinates of a point (x right, y down), two decimals. */
export function project(longitude: number, latitude: number): [number, number] {
  const x = ((longitude - MAP_FRAME.west) / (MAP_FRAME.east - MAP_FRAME.west)) * MAP_WIDTH;
  const y = ((MAP_FRAME.north - latitude) / (MAP_FRAME.north - MAP_FRAME.south)) * MAP_HEIGHT;
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
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

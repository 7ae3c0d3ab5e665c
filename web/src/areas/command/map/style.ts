// The command map's look, built here rather than fetched from /api/map/style.json: the client owns
// its colours (the dark operations-room theme) and only needs the server's two tile URLs. There
// are no glyphs (no font server offline), so nothing here draws text: place names (the base map's
// `label` points) and aggregate counts are HTML markers (htmlLabels.ts).
import type { Feature } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { ComponentStatus } from '../../../api/components.ts';
import type { MultiPolygonGeometry } from '../../../api/jurisdictions.ts';

/** GB/T 30428.2 status colours, the same in the legend, the card and on the map. */
export const STATUS_COLORS: Record<ComponentStatus, string> = {
  intact: '#2e7d32',
  damaged: '#f9a825',
  missing: '#c62828',
  occupied: '#6a1b9a',
  removed: '#757575',
};

/** Below this zoom the component tiles carry per-jurisdiction aggregates, from it single components. */
export const COMPONENT_MIN_ZOOM = 15;

/** Layers that draw single components (clickable; their rendered count is what tests compare). */
export const COMPONENT_LAYERS = ['components-area-fill', 'components-area-line', 'components-points'] as const;
export const AGGREGATE_LAYER = 'aggregates-circle';
export const SELECTED_LAYERS = ['components-selected-ring', 'components-selected-area'] as const;

/** Base layers the panel can switch, each a group of style layers. */
export const BASE_LAYER_GROUPS = {
  roads: ['road-casing', 'road-line'],
  grid: ['grid-line'],
} as const;
export type BaseLayer = keyof typeof BASE_LAYER_GROUPS;

/** Roughly Shanghai, with a margin: the camera stays in it. */
export const CITY_BOUNDS: [number, number, number, number] = [120.6, 30.4, 122.4, 32.0];

/** Tile URLs must be absolute: MapLibre fetches them from a web worker. */
export function basemapTiles(origin: string): string {
  return `${origin}/tiles/basemap/{z}/{x}/{y}.mvt`;
}

/**
 * The component tiles for some large classes (two-digit codes), filtered by the server; with every
 * class on, no filter at all (the server's default, and one cache entry for everyone).
 */
export function componentTiles(origin: string, classes: readonly string[], all: readonly string[] = []): string {
  const every = all.length > 0 && all.every((c) => classes.includes(c));
  return `${origin}/tiles/components/{z}/{x}/{y}.mvt${every ? '' : `?classes=${[...classes].sort().join(',')}`}`;
}

/** What the tile server covers; MapLibre asks for no tile outside it. */
const TILE_BOUNDS: [number, number, number, number] = [120.8, 30.6, 122.2, 31.9];

const statusColor: ExpressionSpecification = [
  'match',
  ['get', 'status'],
  'intact',
  STATUS_COLORS.intact,
  'damaged',
  STATUS_COLORS.damaged,
  'missing',
  STATUS_COLORS.missing,
  'occupied',
  STATUS_COLORS.occupied,
  'removed',
  STATUS_COLORS.removed,
  '#4c8dff',
];

/** An aggregate's ring takes the colour of the worst state among its components. */
const worstColor: ExpressionSpecification = [
  'case',
  ['>', ['get', 'missing'], 0],
  STATUS_COLORS.missing,
  ['>', ['get', 'damaged'], 0],
  STATUS_COLORS.damaged,
  ['>', ['get', 'occupied'], 0],
  STATUS_COLORS.occupied,
  ['>', ['get', 'intact'], 0],
  STATUS_COLORS.intact,
  STATUS_COLORS.removed,
];

const isPolygon: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];
const isLine: ExpressionSpecification = ['==', ['geometry-type'], 'LineString'];

/** A polygon covering the whole city box with the scope cut out: darkens what is outside the scope. */
function outsideMask(scope: MultiPolygonGeometry): Feature {
  const [w, s, e, n] = CITY_BOUNDS;
  const outer = [
    [w - 1, s - 1],
    [e + 1, s - 1],
    [e + 1, n + 1],
    [w - 1, n + 1],
    [w - 1, s - 1],
  ];
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [outer, ...scope.coordinates.map((poly) => poly[0])] } };
}

export interface StyleInput {
  origin: string;
  classes: readonly string[];
  /** Every class there is (so that "all on" asks for unfiltered tiles). */
  allClasses: readonly string[];
  /** The signed-in account's jurisdiction outline, highlighted; null for the whole city. */
  scope: MultiPolygonGeometry | null;
  base: Record<BaseLayer, boolean>;
}

const visibility = (on: boolean) => (on ? 'visible' : 'none') as 'visible' | 'none';

export function buildStyle({ origin, classes, allClasses, scope, base }: StyleInput): StyleSpecification {
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#040b18' } },
    { id: 'land', type: 'fill', source: 'basemap', 'source-layer': 'land', paint: { 'fill-color': '#0b1d38' } },
    { id: 'water', type: 'fill', source: 'basemap', 'source-layer': 'water', paint: { 'fill-color': '#0d3d6e', 'fill-outline-color': '#1a5a96' } },
    {
      id: 'grid-line',
      type: 'line',
      source: 'basemap',
      'source-layer': 'grid',
      minzoom: 15,
      layout: { visibility: visibility(base.grid) },
      paint: { 'line-color': '#2a5286', 'line-width': 0.8, 'line-opacity': ['interpolate', ['linear'], ['zoom'], 15, 0.5, 17, 0.85] },
    },
    {
      id: 'road-casing',
      type: 'line',
      source: 'basemap',
      'source-layer': 'road',
      layout: { 'line-cap': 'round', 'line-join': 'round', visibility: visibility(base.roads) },
      paint: {
        'line-color': '#061226',
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 10, ['match', ['get', 'kind'], 'arterial', 2, 0.6], 16, ['match', ['get', 'kind'], 'arterial', 14, 'secondary', 10, 6], 19, ['match', ['get', 'kind'], 'arterial', 40, 'secondary', 28, 18]],
      },
    },
    {
      id: 'road-line',
      type: 'line',
      source: 'basemap',
      'source-layer': 'road',
      layout: { 'line-cap': 'round', 'line-join': 'round', visibility: visibility(base.roads) },
      paint: {
        'line-color': ['match', ['get', 'kind'], 'arterial', '#3f6fa8', 'secondary', '#2f5789', '#24476f'],
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 10, ['match', ['get', 'kind'], 'arterial', 1.2, 0.3], 16, ['match', ['get', 'kind'], 'arterial', 11, 'secondary', 7.5, 4], 19, ['match', ['get', 'kind'], 'arterial', 34, 'secondary', 24, 14]],
      },
    },
    {
      id: 'boundary-committee',
      type: 'line',
      source: 'basemap',
      'source-layer': 'boundary_committee',
      minzoom: 13,
      paint: { 'line-color': '#3d7cc9', 'line-width': 1, 'line-dasharray': [3, 2], 'line-opacity': 0.8 },
    },
    { id: 'boundary-street', type: 'line', source: 'basemap', 'source-layer': 'boundary_street', minzoom: 11, paint: { 'line-color': '#5b9df0', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 15, 2] } },
    { id: 'boundary-district', type: 'line', source: 'basemap', 'source-layer': 'boundary_district', paint: { 'line-color': '#6fb0ff', 'line-width': 1.4, 'line-dasharray': [4, 2] } },
  ];

  if (scope) {
    layers.push(
      { id: 'scope-mask', type: 'fill', source: 'scope-mask', paint: { 'fill-color': '#01050d', 'fill-opacity': 0.55 } },
      { id: 'scope-glow', type: 'line', source: 'scope', paint: { 'line-color': '#36b5ff', 'line-width': 9, 'line-opacity': 0.22, 'line-blur': 4 } },
      { id: 'scope-line', type: 'line', source: 'scope', paint: { 'line-color': '#7fd2ff', 'line-width': 2.5 } },
    );
  }

  layers.push(
    // Aggregates: one circle per jurisdiction, area proportional to its component count; the
    // count itself is an HTML label (no glyphs).
    {
      id: AGGREGATE_LAYER,
      type: 'circle',
      source: 'components',
      'source-layer': 'aggregates',
      maxzoom: COMPONENT_MIN_ZOOM,
      filter: ['>', ['get', 'total'], 0],
      paint: {
        // Smaller when zoomed far out, where places are many and close together.
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          9,
          ['interpolate', ['linear'], ['sqrt', ['get', 'total']], 0, 4, 30, 7, 100, 11, 320, 18],
          12,
          ['interpolate', ['linear'], ['sqrt', ['get', 'total']], 0, 9, 10, 15, 40, 26, 300, 46],
        ],
        'circle-color': '#1c5fa8',
        'circle-opacity': 0.45,
        'circle-stroke-color': worstColor,
        'circle-stroke-width': 2.5,
      },
    },
    {
      id: 'components-area-fill',
      type: 'fill',
      source: 'components',
      'source-layer': 'areas',
      minzoom: COMPONENT_MIN_ZOOM,
      filter: isPolygon,
      paint: { 'fill-color': statusColor, 'fill-opacity': 0.22 },
    },
    {
      id: 'components-area-line',
      type: 'line',
      source: 'components',
      'source-layer': 'areas',
      minzoom: COMPONENT_MIN_ZOOM,
      paint: { 'line-color': statusColor, 'line-width': ['case', isLine, 3, 1.5] },
    },
    {
      id: 'components-selected-area',
      type: 'line',
      source: 'components',
      'source-layer': 'areas',
      minzoom: COMPONENT_MIN_ZOOM,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#ffffff', 'line-width': 4 },
    },
    {
      id: 'components-points',
      type: 'circle',
      source: 'components',
      'source-layer': 'components',
      minzoom: COMPONENT_MIN_ZOOM,
      paint: {
        'circle-color': statusColor,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, 3.5, 17, 6, 19, 9],
        'circle-stroke-color': '#e6f1ff',
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 15, 0.5, 18, 1.5],
      },
    },
    {
      id: 'components-selected-ring',
      type: 'circle',
      source: 'components',
      'source-layer': 'components',
      minzoom: COMPONENT_MIN_ZOOM,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, 9, 19, 16], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
    },
  );

  return {
    version: 8,
    name: 'yiwang-command',
    sources: {
      basemap: { type: 'vector', tiles: [basemapTiles(origin)], minzoom: 0, maxzoom: 16, bounds: TILE_BOUNDS },
      // Points are not simplified, so tiles deeper than 16 would only repeat the data: overzoom.
      components: { type: 'vector', tiles: [componentTiles(origin, classes, allClasses)], minzoom: 0, maxzoom: 16, bounds: TILE_BOUNDS },
      ...(scope
        ? {
            scope: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: scope } as Feature },
            'scope-mask': { type: 'geojson', data: outsideMask(scope) },
          }
        : {}),
    },
    layers,
  };
}

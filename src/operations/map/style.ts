// The command map's MapLibre style (version 8). Only our own tile sources; no glyphs and no sprite:
// there is no internet to fetch fonts from, so the style has no text (symbol) layers and the web
// client draws place names and aggregate counts as HTML markers from the `label` and `aggregates`
// features (map.querySourceFeatures).

import type { MapStyle } from './map.schema.ts';

/** Colours of component statuses (完好 intact, 破损 damaged, 丢失 missing, 占用 occupied, 废弃 removed). */
export const STATUS_COLOURS = { intact: '#2e7d32', damaged: '#f9a825', missing: '#c62828', occupied: '#6a1b9a', removed: '#757575' } as const;

const COLOURS = { background: '#dfe5ea', land: '#f2efe9', water: '#a0c8f0', road: '#ffffff', roadCasing: '#b4b4b4', district: '#3c3c3c', street: '#8a8a8a', committee: '#b0b0b0', grid: '#d0cbc2' };

const statusColour = ['match', ['get', 'status'], ...Object.entries(STATUS_COLOURS).flat(), '#757575'];
// An aggregate takes the colour of the worst state it holds.
const worstColour = [
  'case',
  ['>', ['get', 'missing'], 0], STATUS_COLOURS.missing,
  ['>', ['get', 'damaged'], 0], STATUS_COLOURS.damaged,
  ['>', ['get', 'occupied'], 0], STATUS_COLOURS.occupied,
  ['>', ['get', 'intact'], 0], STATUS_COLOURS.intact,
  STATUS_COLOURS.removed,
];
const roadWidth = (base: Record<string, number>) => ['interpolate', ['exponential', 1.6], ['zoom'], 9, ['match', ['get', 'kind'], 'arterial', base.arterial, 'secondary', base.secondary, base.local], 18, ['match', ['get', 'kind'], 'arterial', base.arterial * 16, 'secondary', base.secondary * 16, base.local * 16]];

/**
 * The style document. `origin` (`https://host`) makes the tile URLs absolute, which MapLibre needs
 * (its workers resolve relative URLs against their own blob URL); without it they are absolute paths.
 */
export function mapStyle(origin = ''): MapStyle {
  const base = origin.replace(/\/+$/, '');
  return {
    version: 8,
    name: 'Yiwang command map',
    metadata: { 'yiwang:labels': 'html-markers', 'yiwang:attribution': 'Yiwang jurisdictions and base-map data' },
    center: [121.4737, 31.2304],
    zoom: 10,
    sources: {
      basemap: { type: 'vector', tiles: [`${base}/tiles/basemap/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16, bounds: [120.8, 30.6, 122.2, 31.9] },
      components: { type: 'vector', tiles: [`${base}/tiles/components/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 18, bounds: [120.8, 30.6, 122.2, 31.9] },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
      { id: 'land', type: 'fill', source: 'basemap', 'source-layer': 'land', paint: { 'fill-color': COLOURS.land } },
      { id: 'water', type: 'fill', source: 'basemap', 'source-layer': 'water', paint: { 'fill-color': COLOURS.water } },
      { id: 'grid', type: 'line', source: 'basemap', 'source-layer': 'grid', minzoom: 15, paint: { 'line-color': COLOURS.grid, 'line-width': 0.6 } },
      { id: 'boundary-committee', type: 'line', source: 'basemap', 'source-layer': 'boundary_committee', minzoom: 13, paint: { 'line-color': COLOURS.committee, 'line-width': 0.8, 'line-dasharray': [3, 2] } },
      { id: 'boundary-street', type: 'line', source: 'basemap', 'source-layer': 'boundary_street', minzoom: 11, paint: { 'line-color': COLOURS.street, 'line-width': 1 } },
      { id: 'road-casing', type: 'line', source: 'basemap', 'source-layer': 'road', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': COLOURS.roadCasing, 'line-width': roadWidth({ arterial: 2.2, secondary: 1.6, local: 1 }) } },
      { id: 'road', type: 'line', source: 'basemap', 'source-layer': 'road', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': COLOURS.road, 'line-width': roadWidth({ arterial: 1.4, secondary: 1, local: 0.6 }) } },
      { id: 'boundary-district', type: 'line', source: 'basemap', 'source-layer': 'boundary_district', paint: { 'line-color': COLOURS.district, 'line-width': 1.4, 'line-dasharray': [4, 2] } },
      { id: 'component-areas-fill', type: 'fill', source: 'components', 'source-layer': 'areas', minzoom: 15, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': statusColour, 'fill-opacity': 0.15 } },
      { id: 'component-areas-line', type: 'line', source: 'components', 'source-layer': 'areas', minzoom: 15, paint: { 'line-color': statusColour, 'line-width': 1.5 } },
      { id: 'components', type: 'circle', source: 'components', 'source-layer': 'components', minzoom: 15, paint: { 'circle-color': statusColour, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, 2.5, 19, 6], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.8 } },
      {
        id: 'aggregates',
        type: 'circle',
        source: 'components',
        'source-layer': 'aggregates',
        maxzoom: 15,
        paint: {
          'circle-color': worstColour,
          'circle-opacity': 0.8,
          'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'total']], 1, 6, 30, 18, 300, 40],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
    ],
  };
}

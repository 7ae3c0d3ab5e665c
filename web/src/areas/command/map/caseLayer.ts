// Open cases on the command map, coloured by their time limit (green, yellow at 80 %, red overdue),
// a ring for escalated ones. Loaded for the view when it moves and refreshed every 30 seconds — a
// case's colour changes in minutes, not seconds. A click opens the case.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { navigate } from '../../../app/router.tsx';
import { COLOURS } from '../../cases/caseText.tsx';

export const CASE_LAYER = 'cases';
const REFRESH_MS = 30_000;
type Row = [string, number, number, 'green' | 'yellow' | 'red' | null, string, number];

declare global {
  interface Window {
    /** For automated browsers: each open case on the map and its colour. */
    __yiwangCases?: Map<string, string>;
  }
}

/** Adds the layer to a loaded map; returns a function that stops it. */
export function attachCaseLayer(map: MapLibreMap): () => void {
  let closed = false;
  map.addSource(CASE_LAYER, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: CASE_LAYER,
    type: 'circle',
    source: CASE_LAYER,
    minzoom: 10,
    layout: { 'circle-sort-key': ['match', ['get', 'colour'], 'red', 3, 'yellow', 2, 1] },
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 15, 7, 18, 10],
      'circle-color': ['match', ['get', 'colour'], 'red', COLOURS.red, 'yellow', COLOURS.yellow, COLOURS.green],
      'circle-stroke-color': ['case', ['>', ['get', 'level'], 0], '#ffffff', '#0b1d38'],
      'circle-stroke-width': ['case', ['>', ['get', 'level'], 0], 3, 1],
    },
  });
  let ticket = 0;
  const load = async () => {
    if (closed || map.getZoom() < 10) return;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
    const mine = ++ticket;
    const res = await fetch(`/api/cases/map/rows?bbox=${bbox}`, { credentials: 'same-origin' }).catch(() => null);
    if (!res?.ok || closed || mine !== ticket) return;
    const { rows } = (await res.json()) as { rows: Row[] };
    if (closed || mine !== ticket) return;
    map.getSource<GeoJSONSource>(CASE_LAYER)?.setData({
      type: 'FeatureCollection',
      features: rows.map(([id, lon, lat, colour, category, level]) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id, colour, category, level } })),
    });
    if (navigator.webdriver) window.__yiwangCases = new Map(rows.map((r) => [r[0], r[3] ?? '']));
    map.getContainer().dataset.cases = String(rows.length);
  };
  const onClick = (e: { features?: Array<{ properties: Record<string, unknown> }> }) => {
    const id = e.features?.[0]?.properties.id;
    if (typeof id === 'string') navigate(`/command/cases/${id}`);
  };
  map.on('click', CASE_LAYER, onClick);
  map.on('moveend', load);
  const timer = setInterval(() => void load(), REFRESH_MS);
  void load();
  return () => {
    closed = true;
    clearInterval(timer);
    map.off('moveend', load);
    map.off('click', CASE_LAYER, onClick);
  };
}

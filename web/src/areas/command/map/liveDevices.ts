// The live device layer: devices in view, coloured by state (ok green, alert red, offline grey),
// loaded for the viewport in a compact form and then kept current by the /api/live WebSocket, which
// sends once a second only the devices that changed in this viewport. A district's ~44,000 devices
// fit on screen: the source is replaced only when the view moves, and each second's changes are
// applied as a diff (GeoJSONSource.updateData) instead of re-tiling every device.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

export const DEVICE_LAYER = 'devices';
/** The layer's colours, shared with the legend. */
export const DEVICE_COLORS = { ok: '#2e7d32', alert: '#d32f2f', offline: '#9e9e9e' } as const;

/** From a district's view in: below it the city's devices would be a smear of dots. */
export const DEVICE_MIN_ZOOM = 10;

type Status = 'ok' | 'alert' | 'offline';
/** As /api/devices/map/rows sends them: [id, lon, lat, status, type, severity]. */
type Row = [string, number, number, Status, string, string | null];

interface LiveDevice {
  id: string;
  type: string;
  point: [number, number];
  status: Status;
  severity: string | null;
}

declare global {
  interface Window {
    /** For automated browsers: each device's state as the map shows it. */
    __yiwangDevices?: Map<string, string>;
  }
}

const feature = (d: LiveDevice) => ({ type: 'Feature' as const, id: d.id, geometry: { type: 'Point' as const, coordinates: d.point }, properties: { id: d.id, type: d.type, status: d.status, severity: d.severity } });

/** Adds the layer to a loaded map and keeps it live; returns a function that stops it. */
export function attachLiveDevices(map: MapLibreMap, origin: string): () => void {
  const devices = new Map<string, LiveDevice>();
  if (navigator.webdriver) window.__yiwangDevices = new Map();
  map.addSource(DEVICE_LAYER, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: DEVICE_LAYER,
    type: 'circle',
    source: DEVICE_LAYER,
    minzoom: DEVICE_MIN_ZOOM,
    layout: { 'circle-sort-key': ['match', ['get', 'status'], 'alert', 2, 'ok', 1, 0] },
    paint: {
      // Small dots for a district, markers for a street; an alert stays big enough to see.
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, ['case', ['==', ['get', 'status'], 'alert'], 4, 1.5], 14, ['case', ['==', ['get', 'status'], 'alert'], 7, 4], 17, ['case', ['==', ['get', 'status'], 'alert'], 9, 6]],
      'circle-color': ['match', ['get', 'status'], 'alert', DEVICE_COLORS.alert, 'offline', DEVICE_COLORS.offline, DEVICE_COLORS.ok],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 10, 0, 14, 1.5],
    },
  });
  // Once stopped (the map is being removed) a late answer must not touch it: a removed map has no
  // style, and getSource would throw.
  let closed = false;
  const source = () => (closed ? undefined : map.getSource<GeoJSONSource>(DEVICE_LAYER));

  const mirror = (items: Iterable<LiveDevice>) => {
    if (closed) return;
    if (window.__yiwangDevices) for (const d of items) window.__yiwangDevices.set(d.id, d.status);
    let alerts = 0;
    for (const d of devices.values()) if (d.status === 'alert') alerts++;
    map.getContainer().dataset.alertDevices = String(alerts);
    map.getContainer().dataset.devices = String(devices.size);
  };
  /** A fresh load for the view: the whole source is replaced (once per move) by what is in it now. */
  const replace = (items: LiveDevice[]) => {
    devices.clear();
    for (const d of items) devices.set(d.id, d);
    source()?.setData({ type: 'FeatureCollection', features: [...devices.values()].map(feature) });
    mirror(items);
  };
  /** A second's changes: a diff of the few devices that changed. */
  const patch = (items: LiveDevice[]) => {
    const add: ReturnType<typeof feature>[] = [];
    const update: Array<{ id: string; addOrUpdateProperties: Array<{ key: string; value: unknown }> }> = [];
    for (const d of items) {
      if (devices.has(d.id)) update.push({ id: d.id, addOrUpdateProperties: [{ key: 'status', value: d.status }, { key: 'severity', value: d.severity }] });
      else add.push(feature(d));
      devices.set(d.id, d);
    }
    source()?.updateData({ add, update });
    mirror(items);
  };
  let socket: WebSocket | null = null;
  let opened = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const bbox = () => {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Number(v.toFixed(6)));
  };
  const sendViewport = () => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'viewport', bbox: bbox() }));
  };
  const connect = () => {
    if (closed) return;
    socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/live`);
    // After a drop (a restart, or the server finding this viewer too far behind) the view is
    // reloaded: changes made while the feed was down would otherwise never arrive.
    socket.onopen = opened++ === 0 ? sendViewport : () => void load();
    socket.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as { type: string; items?: LiveDevice[] };
      if (m.type === 'devices' && m.items) patch(m.items);
    };
    // A dropped feed (server restart, network) comes back after a pause.
    socket.onclose = () => {
      retry = setTimeout(connect, 3000);
    };
  };
  let loading = 0;
  const load = async () => {
    if (closed) return;
    sendViewport();
    if (map.getZoom() < DEVICE_MIN_ZOOM) return;
    const ticket = ++loading;
    const res = await fetch(`/api/devices/map/rows?bbox=${bbox().join(',')}`, { credentials: 'same-origin' });
    if (!res.ok || ticket !== loading || closed) return;
    const { rows } = (await res.json()) as { rows: Row[] };
    if (ticket !== loading || closed) return;
    replace(rows.map(([id, lon, lat, status, type, severity]) => ({ id, type, point: [lon, lat], status, severity })));
  };
  map.on('moveend', load);
  connect();
  void load();
  return () => {
    closed = true;
    clearTimeout(retry);
    map.off('moveend', load);
    if (socket) socket.onmessage = socket.onclose = null;
    socket?.close();
  };
}

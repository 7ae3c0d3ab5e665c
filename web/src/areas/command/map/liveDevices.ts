// The live device layer: devices in view, coloured by state (ok green, alert red, offline grey),
// loaded for the viewport and then kept current by the /api/live WebSocket, which sends once a
// second only the devices that changed in this viewport.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

export const DEVICE_LAYER = 'devices';
/** The layer's colours, shared with the legend. */
export const DEVICE_COLORS = { ok: '#2e7d32', alert: '#d32f2f', offline: '#9e9e9e' } as const;

/** Below this zoom a district's tens of thousands of devices would be noise. */
export const DEVICE_MIN_ZOOM = 14;

interface LiveDevice {
  id: string;
  type: string;
  name: string;
  point: [number, number];
  status: 'ok' | 'alert' | 'offline';
  severity: string | null;
}

declare global {
  interface Window {
    /** For automated browsers: each device's state as the map shows it. */
    __yiwangDevices?: Map<string, string>;
  }
}

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
    paint: {
      'circle-radius': ['case', ['==', ['get', 'status'], 'alert'], 7, 5],
      'circle-color': ['match', ['get', 'status'], 'alert', DEVICE_COLORS.alert, 'offline', DEVICE_COLORS.offline, DEVICE_COLORS.ok],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });

  const redraw = () => {
    const features = [...devices.values()].map((d) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: d.point }, properties: { id: d.id, type: d.type, name: d.name, status: d.status, severity: d.severity } }));
    map.getSource<GeoJSONSource>(DEVICE_LAYER)?.setData({ type: 'FeatureCollection', features });
    if (window.__yiwangDevices) for (const d of devices.values()) window.__yiwangDevices.set(d.id, d.status);
    map.getContainer().dataset.alertDevices = String([...devices.values()].filter((d) => d.status === 'alert').length);
  };
  const merge = (items: LiveDevice[]) => {
    for (const d of items) devices.set(d.id, d);
    redraw();
  };

  let socket: WebSocket | null = null;
  let closed = false;
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
    socket.onopen = sendViewport;
    socket.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as { type: string; items?: LiveDevice[] };
      if (m.type === 'devices' && m.items) merge(m.items);
    };
    // A dropped feed (server restart, network) comes back after a pause.
    socket.onclose = () => setTimeout(connect, 3000);
  };
  let loading = 0;
  const load = async () => {
    sendViewport();
    if (map.getZoom() < DEVICE_MIN_ZOOM) return;
    const ticket = ++loading;
    const res = await fetch(`/api/devices/map?bbox=${bbox().join(',')}`, { credentials: 'same-origin' });
    if (!res.ok || ticket !== loading) return;
    merge(((await res.json()) as { items: LiveDevice[] }).items);
  };
  map.on('moveend', load);
  connect();
  void load();
  return () => {
    closed = true;
    map.off('moveend', load);
    socket?.close();
  };
}

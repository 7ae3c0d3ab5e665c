// A small map to show or set a case's place: the base map, one marker; a click moves the pin when
// `onPick` is given. Without WebGL (some kiosks) it says so and the coordinates still show.
import { useEffect, useRef, useState } from 'react';
import { Map as MapLibreMap, Marker, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { basemapTiles } from '../command/map/style.ts';

interface Props {
  point: [number, number] | null;
  onPick?: (p: [number, number]) => void;
  /** Where to look when there is no pin yet. */
  center?: [number, number];
  height?: number;
  testId?: string;
}

function style(origin: string): StyleSpecification {
  return {
    version: 8,
    sources: { basemap: { type: 'vector', tiles: [basemapTiles(origin)], minzoom: 8, maxzoom: 14 } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef2f6' } },
      { id: 'water', type: 'fill', source: 'basemap', 'source-layer': 'water', paint: { 'fill-color': '#b9d7f0' } },
      { id: 'road', type: 'line', source: 'basemap', 'source-layer': 'road', paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 17, 8] } },
      { id: 'street', type: 'line', source: 'basemap', 'source-layer': 'boundary_street', paint: { 'line-color': '#7a8ca3', 'line-width': 1, 'line-dasharray': [3, 2] } },
    ],
  };
}

const webgl = (() => {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
})();

export function PinMap({ point, onPick, center, height = 260, testId = 'pin-map' }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | null>(null);
  const marker = useRef<Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [failed, setFailed] = useState(!webgl);

  useEffect(() => {
    if (!ref.current || !webgl) return;
    let m: MapLibreMap;
    try {
      m = new MapLibreMap({ container: ref.current, style: style(window.location.origin), center: point ?? center ?? [121.4737, 31.2304], zoom: point ? 16 : 14, attributionControl: false });
    } catch {
      setFailed(true);
      return;
    }
    map.current = m;
    m.on('click', (e) => pick.current?.([Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))]));
    return () => {
      marker.current = null;
      map.current = null;
      m.remove();
    };
    // The map is made once; the pin follows below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !point) return;
    if (!marker.current) marker.current = new Marker({ color: '#d32f2f' }).setLngLat(point).addTo(m);
    else marker.current.setLngLat(point);
    if (!m.getBounds().contains(point)) m.jumpTo({ center: point });
  }, [point]);

  useEffect(() => {
    if (map.current && !point && center) map.current.jumpTo({ center });
  }, [center, point]);

  return (
    <div className="pin-map" style={{ height }} data-testid={testId} data-point={point ? point.join(',') : ''}>
      {failed ? <p className="muted pin-map-note">{point ? `${point[0]}, ${point[1]}` : '—'}</p> : <div ref={ref} style={{ width: '100%', height: '100%' }} />}
    </div>
  );
}

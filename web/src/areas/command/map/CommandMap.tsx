// The command map (/command/map[/component code]): MapLibre over the server's vector tiles —
// the demo base map and the component registry — centred on the account's jurisdiction.
// Below zoom 15 the component tiles carry counts per jurisdiction (circles with an HTML count);
// from 15 single components, coloured by status. A click opens the component's card.
import 'maplibre-gl/dist/maplibre-gl.css';
import '../../../styles/map.css';
import type { Point } from 'geojson';
import { attachLiveDevices } from './liveDevices.ts';
import { attachCaseLayer } from './caseLayer.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Map as MapLibreMap, type LngLatBoundsLike, type MapGeoJSONFeature, type MapMouseEvent, type VectorTileSource } from 'maplibre-gl';
import { componentTypes, type Component, type ComponentTypes } from '../../../api/components.ts';
import * as jurisdictions from '../../../api/jurisdictions.ts';
import type { JurisdictionNode } from '../../../api/types.ts';
import { navigate, useLocation } from '../../../app/router.tsx';
import { useAccount } from '../../../app/session.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../../ui/ErrorNote.tsx';
import { Icon } from '../../../ui/icons.tsx';
import { useAsync } from '../../../ui/useAsync.ts';
import { pageOf } from '../../shared.tsx';
import { ComponentCard } from './ComponentCard.tsx';
import { HtmlLabels } from './htmlLabels.ts';
import { LayerPanel } from './LayerPanel.tsx';
import {
  AGGREGATE_LAYER,
  BASE_LAYER_GROUPS,
  buildStyle,
  CITY_BOUNDS,
  COMPONENT_LAYERS,
  COMPONENT_MIN_ZOOM,
  componentTiles,
  SELECTED_LAYERS,
  type BaseLayer,
} from './style.ts';

const CITY_CODE = '310000';
const CLICKABLE = [...COMPONENT_LAYERS];

declare global {
  interface Window {
    /** The live map, for browser tests only (set when the browser is automated). */
    __yiwangMap?: MapLibreMap;
  }
}

interface Setup {
  types: ComponentTypes;
  scope: { node: JurisdictionNode; geometry: jurisdictions.MultiPolygonGeometry } | null;
}

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/** Room around the scope when fitting it: the layer panel covers the left on wide screens. */
function fitPadding(el: HTMLElement | null) {
  return el && el.clientWidth < 760 ? 24 : { top: 40, bottom: 40, left: 320, right: 40 };
}

/** Outer bounds of a MultiPolygon. */
function boundsOf(node: JurisdictionNode, geometry: jurisdictions.MultiPolygonGeometry): [number, number, number, number] {
  if (node.bbox) return node.bbox;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of geometry.coordinates)
    for (const [x, y] of poly[0]) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  return [w, s, e, n];
}

export default function CommandMapPage() {
  const account = useAccount();
  const scopeCode = account.scopeCode ?? CITY_CODE;
  const setup = useAsync<Setup>(async (signal) => {
    const [types, scope] = await Promise.all([componentTypes(), jurisdictions.outline(scopeCode, signal)]);
    return { types, scope: { node: scope.node, geometry: scope.geometry } };
  }, [scopeCode]);
  if (setup.error) {
    return (
      <div className="command-map command-map-note">
        <ErrorNote error={setup.error} onRetry={setup.reload} />
      </div>
    );
  }
  if (!setup.data) {
    return (
      <div className="command-map command-map-note">
        <Loading />
      </div>
    );
  }
  return <CommandMap setup={setup.data} />;
}

function CommandMap({ setup }: { setup: Setup }) {
  const { t, locale, formatNumber } = useI18n();
  const { types, scope } = setup;
  const { pathname } = useLocation();
  const selected = pageOf(pathname).param;
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const [zoom, setZoom] = useState<number | null>(null);
  const [tileError, setTileError] = useState(false);
  const allClasses = useMemo(() => types.classes.map((c) => c.code), [types]);
  const [classes, setClasses] = useState<string[]>(allClasses);
  const [base, setBase] = useState<Record<BaseLayer, boolean>>({ roads: true, grid: true });
  const [webgl] = useState(webglAvailable);
  // A deep link (/command/map/<code>) flies to the component once its card has loaded.
  const flyOnLoad = useRef(!!selected);
  const fmt = useRef(formatNumber);
  const localeRef = useRef(locale);
  const relabel = useRef<() => void>(() => {});
  const [truncated, setTruncated] = useState(false);

  const scopeBounds = useMemo<LngLatBoundsLike>(() => (scope ? boundsOf(scope.node, scope.geometry) : CITY_BOUNDS), [scope]);

  const select = useCallback((code: string | null) => navigate(code ? `/command/map/${encodeURIComponent(code)}` : '/command/map', { replace: true }), []);

  // The map itself: created once per page visit.
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !webgl) return;
    const map = new MapLibreMap({
      container,
      style: buildStyle({ origin: window.location.origin, classes, allClasses, scope: scope?.geometry ?? null, base }),
      bounds: scopeBounds,
      fitBoundsOptions: { padding: fitPadding(container) },
      minZoom: 8,
      maxZoom: 19,
      maxBounds: [CITY_BOUNDS[0] - 0.5, CITY_BOUNDS[1] - 0.5, CITY_BOUNDS[2] + 0.5, CITY_BOUNDS[3] + 0.5],
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      fadeDuration: 0,
      locale: { 'Map.Title': t('map.region') },
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    mapRef.current = map;
    if (navigator.webdriver) window.__yiwangMap = map;

    const aggregates = new HtmlLabels(map, 'map-agg-count');
    const places = new HtmlLabels(map, 'map-place-label');
    // Place names: the base map's `label` points (districts, streets or committees by zoom) in view.
    relabel.current = () => {
      const view = map.getBounds();
      const seen = new Set<string>();
      const labels = [];
      for (const f of map.querySourceFeatures('basemap', { sourceLayer: 'label' })) {
        const code = String(f.properties.code);
        const at = (f.geometry as Point).coordinates as [number, number];
        if (seen.has(code) || !view.contains(at)) continue;
        seen.add(code);
        const name = String(f.properties.name ?? '');
        const text = localeRef.current === 'en' ? String(f.properties.nameEn || name) : name;
        labels.push({ id: code, lngLat: at, text, variant: String(f.properties.level ?? '') });
      }
      places.set(labels);
    };
    const markBusy = () => (container.dataset.idle = 'false');
    const onIdle = () => {
      relabel.current();
      setTruncated(map.getZoom() >= COMPONENT_MIN_ZOOM && map.querySourceFeatures('components', { sourceLayer: 'meta' }).length > 0);
      // What is drawn now: single components (distinct codes) and, zoomed out, the aggregates.
      const drawn = map.getZoom() >= COMPONENT_MIN_ZOOM ? map.queryRenderedFeatures({ layers: CLICKABLE }) : [];
      container.dataset.renderedComponents = String(new Set(drawn.map((f) => f.properties.code)).size);
      const aggs = map.getZoom() < COMPONENT_MIN_ZOOM && map.getLayer(AGGREGATE_LAYER) ? map.queryRenderedFeatures({ layers: [AGGREGATE_LAYER] }) : [];
      const byCode = new Map<string, MapGeoJSONFeature>();
      for (const f of aggs) if (!byCode.has(String(f.properties.code))) byCode.set(String(f.properties.code), f);
      container.dataset.renderedAggregates = String([...byCode.values()].reduce((n, f) => n + Number(f.properties.total ?? 0), 0));
      // Counts that would overlap another (larger) one are left out; the circles still show.
      const placed: Array<[number, number, number, number]> = [];
      const counts = [];
      for (const f of [...byCode.values()].sort((a, b) => Number(b.properties.total) - Number(a.properties.total))) {
        const lngLat = (f.geometry as Point).coordinates as [number, number];
        const text = fmt.current(Number(f.properties.total ?? 0));
        const p = map.project(lngLat);
        const w = text.length * 4 + 4;
        const box: [number, number, number, number] = [p.x - w, p.y - 9, p.x + w, p.y + 9];
        if (placed.some((o) => box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1])) continue;
        placed.push(box);
        counts.push({ id: String(f.properties.code), lngLat, text });
      }
      aggregates.set(counts);
      container.dataset.zoom = map.getZoom().toFixed(2);
      container.dataset.idle = 'true';
    };
    const onZoom = () => {
      if (map.getZoom() >= COMPONENT_MIN_ZOOM) aggregates.clear();
    };
    const onZoomEnd = () => setZoom(Math.round(map.getZoom() * 10) / 10);
    const onError = (e: { sourceId?: string; error?: Error }) => {
      if (e.sourceId) setTileError(true);
      else console.warn('map:', e.error?.message);
    };
    const onClick = (e: MapMouseEvent) => {
      const box: [[number, number], [number, number]] = [
        [e.point.x - 5, e.point.y - 5],
        [e.point.x + 5, e.point.y + 5],
      ];
      if (map.getZoom() >= COMPONENT_MIN_ZOOM) {
        const hit = map.queryRenderedFeatures(box, { layers: CLICKABLE });
        // Points first (a point on top of an area is the one meant), the nearest of them.
        const distance = (f: MapGeoJSONFeature) => {
          if (f.geometry.type !== 'Point') return Infinity;
          const p = map.project(f.geometry.coordinates as [number, number]);
          return Math.hypot(p.x - e.point.x, p.y - e.point.y);
        };
        const best = hit.filter((f) => f.geometry.type === 'Point').sort((a, b) => distance(a) - distance(b))[0] ?? hit[0];
        if (best?.properties.code) select(String(best.properties.code));
        return;
      }
      const agg = map.queryRenderedFeatures(box, { layers: [AGGREGATE_LAYER] })[0];
      if (agg) {
        const [lon, lat] = (agg.geometry as Point).coordinates;
        map.easeTo({ center: [lon, lat], zoom: Math.min(COMPONENT_MIN_ZOOM, map.getZoom() + 2) });
      }
    };
    const onMove = (e: MapMouseEvent) => {
      const layers = map.getZoom() >= COMPONENT_MIN_ZOOM ? CLICKABLE : [AGGREGATE_LAYER];
      const hit = map.queryRenderedFeatures(e.point, { layers }).length > 0;
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    };
    let stopDevices = () => {};
    let stopCases = () => {};
    map.on('load', () => {
      setReady(true);
      onZoomEnd();
      stopDevices = attachLiveDevices(map, window.location.origin);
      stopCases = attachCaseLayer(map);
    });
    map.on('idle', onIdle);
    map.on('movestart', markBusy);
    map.on('dataloading', markBusy);
    map.on('zoom', onZoom);
    map.on('zoomend', onZoomEnd);
    map.on('error', onError);
    map.on('click', onClick);
    map.on('mousemove', onMove);
    return () => {
      stopDevices();
      stopCases();
      aggregates.clear();
      places.clear();
      relabel.current = () => {};
      map.remove();
      mapRef.current = null;
      if (window.__yiwangMap === map) delete window.__yiwangMap;
      setReady(false);
    };
    // The style's initial state comes from the first render; later changes go through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [webgl, scope, scopeBounds, select]);

  // Classes: the server filters the tiles, so a change is a new tiles URL.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const none = classes.length === 0;
    for (const id of [...COMPONENT_LAYERS, ...SELECTED_LAYERS, AGGREGATE_LAYER]) map.setLayoutProperty(id, 'visibility', none ? 'none' : 'visible');
    if (!none) map.getSource<VectorTileSource>('components')?.setTiles([componentTiles(window.location.origin, classes, allClasses)]);
    if (containerRef.current) containerRef.current.dataset.classes = [...classes].sort().join(',');
  }, [classes, allClasses, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    for (const [group, ids] of Object.entries(BASE_LAYER_GROUPS) as Array<[BaseLayer, readonly string[]]>) {
      for (const id of ids) map.setLayoutProperty(id, 'visibility', base[group] ? 'visible' : 'none');
    }
  }, [base, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    for (const id of SELECTED_LAYERS) map.setFilter(id, ['==', ['get', 'code'], selected ?? '']);
  }, [selected, ready]);

  useEffect(() => {
    mapRef.current?.getCanvas().setAttribute('aria-label', t('map.region'));
  }, [t, ready]);

  // Place names and counts follow the language.
  useEffect(() => {
    localeRef.current = locale;
    fmt.current = formatNumber;
    if (ready) {
      relabel.current();
      mapRef.current?.triggerRepaint();
    }
  }, [locale, formatNumber, ready]);

  const onCardLoaded = useCallback((c: Component) => {
    const map = mapRef.current;
    if (!map || !flyOnLoad.current) return;
    flyOnLoad.current = false;
    map.jumpTo({ center: c.point, zoom: Math.max(map.getZoom(), 17) });
  }, []);

  const zoomBy = (d: number) => mapRef.current?.easeTo({ zoom: mapRef.current.getZoom() + d });
  const fitScope = () => mapRef.current?.fitBounds(scopeBounds, { padding: fitPadding(containerRef.current) });

  return (
    <div className="command-map" data-testid="command-map">
      {webgl ? (
        <div ref={containerRef} className="map-canvas" data-testid="map" data-ready={ready ? 'true' : 'false'} />
      ) : (
        <div className="command-map-note">
          <p className="note note-error" role="alert">
            {t('map.noWebgl')}
          </p>
        </div>
      )}
      <LayerPanel
        types={types}
        scope={scope?.node ?? null}
        classes={classes}
        onClasses={setClasses}
        base={base}
        onBase={(b, on) => setBase((prev) => ({ ...prev, [b]: on }))}
        footer={<p className="map-demo-note">{t('map.demoData')}</p>}
      />
      <div className="map-hints">
        {zoom !== null && zoom < COMPONENT_MIN_ZOOM && (
          <p className="map-hint" role="status" data-testid="map-zoom-hint">
            {t('map.zoomHint', { z: COMPONENT_MIN_ZOOM })}
          </p>
        )}
        {truncated && (
          <p className="map-hint map-hint-warn" role="status" data-testid="map-truncated">
            {t('map.truncated')}
          </p>
        )}
        {tileError && (
          <p className="map-hint map-hint-error" role="alert" data-testid="map-tile-error">
            {t('map.tileError')}
          </p>
        )}
      </div>
      {selected && <ComponentCard key={selected} code={selected} types={types} onClose={() => select(null)} onLoaded={onCardLoaded} />}
      <div className="map-tools" role="group" aria-label={t('map.view')}>
        <button type="button" className="icon-btn" onClick={() => zoomBy(1)} aria-label={t('map.zoomIn')} title={t('map.zoomIn')} data-testid="map-zoom-in">
          <Icon name="plus" />
        </button>
        <button type="button" className="icon-btn" onClick={() => zoomBy(-1)} aria-label={t('map.zoomOut')} title={t('map.zoomOut')} data-testid="map-zoom-out">
          <Icon name="minus" />
        </button>
        <button type="button" className="icon-btn" onClick={fitScope} aria-label={t('map.fitScope')} title={t('map.fitScope')} data-testid="map-fit">
          <Icon name="focus" />
        </button>
        {zoom !== null && <span className="map-zoom">{t('map.zoomLevel', { z: zoom.toFixed(1) })}</span>}
      </div>
    </div>
  );
}

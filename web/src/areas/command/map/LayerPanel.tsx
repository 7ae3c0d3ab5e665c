// The map's left panel: title and scope, one real checkbox per large class and per base layer,
// and the status legend.
import { DEVICE_COLORS } from './liveDevices.ts';
import { COLOURS as CASE_COLOURS } from '../../cases/caseText.tsx';
import { useState, type ReactNode } from 'react';
import { STATUSES, type ComponentTypes } from '../../../api/components.ts';
import type { JurisdictionNode } from '../../../api/types.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { Icon } from '../../../ui/icons.tsx';
import { PlaceName } from '../../../ui/PlaceName.tsx';
import { STATUS_COLORS, type BaseLayer } from './style.ts';

const BASE_LABELS: Record<BaseLayer, MessageKey> = { roads: 'map.base.roads', grid: 'map.base.grid' };

interface Props {
  types: ComponentTypes;
  scope: JurisdictionNode | null;
  classes: readonly string[];
  onClasses(next: string[]): void;
  base: Record<BaseLayer, boolean>;
  onBase(layer: BaseLayer, on: boolean): void;
  footer?: ReactNode;
}

export function LayerPanel({ types, scope, classes, onClasses, base, onBase, footer }: Props) {
  const { t, locale, label } = useI18n();
  const statusName = (code: string) => {
    const s = types.statuses.find((x) => x.code === code);
    return s ? (locale === 'en' ? s.en : s.zh) : label('cstatus', code);
  };
  const toggle = (code: string, on: boolean) => onClasses(on ? [...classes, code] : classes.filter((c) => c !== code));
  // On a phone the panel starts folded so the map can be seen.
  const [open, setOpen] = useState(() => !window.matchMedia?.('(max-width: 760px)').matches);
  return (
    <section className="map-panel map-layers" aria-labelledby="map-title" data-testid="layer-panel">
      <div className="map-panel-head">
        <h1 id="map-title" data-testid="page-title">
          {t('map.title')}
        </h1>
        {scope && (
          <p className="map-scope" data-testid="map-scope">
            <PlaceName name={scope.name} nameEn={scope.nameEn} />
          </p>
        )}
        <button type="button" className="icon-btn map-panel-toggle" aria-expanded={open} aria-controls="map-layer-body" onClick={() => setOpen((o) => !o)} title={t('map.layers')} data-testid="layer-panel-toggle">
          <Icon name="layers" size={18} />
          <span className="visually-hidden">{t('map.layers')}</span>
        </button>
      </div>
      <div id="map-layer-body" hidden={!open}>
        <fieldset className="map-fieldset">
          <legend>
            <Icon name="layers" size={16} /> {t('map.classes')}
          </legend>
          {types.classes.map((c) => (
            <label key={c.code} className="map-check">
              <input type="checkbox" checked={classes.includes(c.code)} onChange={(e) => toggle(c.code, e.target.checked)} data-testid={`layer-toggle-${c.code}`} />
              <span className="map-check-code" aria-hidden="true">
                {c.code}
              </span>
              <span data-testid={`layer-label-${c.code}`}>{locale === 'en' ? c.nameEn : c.nameZh}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="map-fieldset">
          <legend>{t('map.base')}</legend>
          {(Object.keys(BASE_LABELS) as BaseLayer[]).map((b) => (
            <label key={b} className="map-check">
              <input type="checkbox" checked={base[b]} onChange={(e) => onBase(b, e.target.checked)} data-testid={`layer-toggle-${b}`} />
              <span>{t(BASE_LABELS[b])}</span>
            </label>
          ))}
        </fieldset>
        <section className="map-legend" aria-labelledby="map-legend-title" data-testid="map-legend">
          <h2 id="map-legend-title">{t('map.legend')}</h2>
          <ul>
            {STATUSES.map((s) => (
              <li key={s} data-status={s}>
                <span className="status-dot" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
                {statusName(s)}
              </li>
            ))}
          </ul>
          <p className="map-legend-note">
            <span className="agg-swatch" aria-hidden="true" />
            {t('map.aggregates')}
          </p>
          <p className="map-legend-note" data-testid="map-legend-devices">
            {Object.values(DEVICE_COLORS).map((c) => (
              <span key={c} className="status-dot" style={{ background: c, boxShadow: '0 0 0 1.5px #fff' }} aria-hidden="true" />
            ))}
            {t('map.devices')}
          </p>
          <p className="map-legend-note" data-testid="map-legend-cases">
            {(['green', 'yellow', 'red'] as const).map((c) => (
              <span key={c} className="status-dot" style={{ background: CASE_COLOURS[c], boxShadow: '0 0 0 1px #0b1d38' }} title={t(`cases.colour.${c}`)} aria-hidden="true" />
            ))}
            {t('map.cases')}
          </p>
        </section>
        {footer}
      </div>
    </section>
  );
}

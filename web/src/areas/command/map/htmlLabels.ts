// Text on the map without glyphs: each label is a small DOM element MapLibre keeps in place
// (a Marker). Text is set with textContent, never as HTML — place and component names are data.
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';

export interface HtmlLabel {
  id: string;
  lngLat: [number, number];
  text: string;
  /** An extra class (e.g. the place's level), for size and weight. */
  variant?: string;
}

/** A set of labels of one kind (place names, aggregate counts), updated as a whole. */
export class HtmlLabels {
  private readonly shown = new Map<string, { marker: Marker; el: HTMLElement }>();

  constructor(
    private readonly map: MapLibreMap,
    private readonly className: string,
  ) {}

  /** Shows exactly `labels`, reusing the elements of labels that stay. */
  set(labels: readonly HtmlLabel[]): void {
    const keep = new Set<string>();
    for (const l of labels) {
      keep.add(l.id);
      let entry = this.shown.get(l.id);
      if (!entry) {
        const el = document.createElement('div');
        el.className = l.variant ? `${this.className} ${this.className}-${l.variant}` : this.className;
        // Labels repeat what the panels and the card say; screen readers skip them. Setting a
        // role and label first stops MapLibre from announcing each one as a "Map marker" button.
        el.setAttribute('role', 'presentation');
        el.setAttribute('aria-hidden', 'true');
        el.setAttribute('aria-label', l.text);
        el.dataset.id = l.id;
        entry = { marker: new Marker({ element: el, anchor: 'center' }).setLngLat(l.lngLat).addTo(this.map), el };
        this.shown.set(l.id, entry);
      } else {
        entry.marker.setLngLat(l.lngLat);
      }
      if (entry.el.textContent !== l.text) {
        entry.el.textContent = l.text;
        entry.el.setAttribute('aria-label', l.text);
      }
    }
    for (const [id, entry] of this.shown) {
      if (!keep.has(id)) {
        entry.marker.remove();
        this.shown.delete(id);
      }
    }
  }

  clear(): void {
    this.set([]);
  }
}

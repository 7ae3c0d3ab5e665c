/**
 * Open311 GeoReport v2 speaks JSON and XML (XML is the one the standard requires). Each reply is a
 * list of flat records under a root element; this writes both forms from the same records.
 */
export type Format = 'json' | 'xml';
export type Record311 = Record<string, string | number | boolean | null | Record311[] | undefined>;

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function element(name: string, value: Record311[string], item: string): string {
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => record(item, v, item)).join('')}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

function record(name: string, r: Record311, item: string): string {
  return `<${name}>${Object.entries(r).map(([k, v]) => element(k, v, item === 'attribute' ? 'value' : item)).join('')}</${name}>`;
}

/** `<root><item>…</item>…</root>` with the XML declaration, or the JSON array of the items. */
export function render(format: Format, root: string, item: string, items: Record311[]): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', body: JSON.stringify(items) };
  const inner = items.map((r) => record(item, r, item === 'service_definition' ? 'attribute' : item)).join('');
  return { type: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${inner}</${root}>` };
}

/** A single record (service definitions are one object, not a list). */
export function renderOne(format: Format, name: string, r: Record311): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', body: JSON.stringify(r) };
  return { type: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n${record(name, r, 'attribute')}` };
}

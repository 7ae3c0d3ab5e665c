// Well-Known Text for component geometries: POINT, LINESTRING, POLYGON, MULTILINESTRING and
// MULTIPOLYGON, optionally prefixed with `SRID=4326;` (EWKT) and with a Z dimension that is dropped.
// Parsing is syntactic only: run the result through validateGeometry for closure, extent, etc.

import type { Geometry, Position } from './geometry.ts';

const TYPES = ['POINT', 'LINESTRING', 'POLYGON', 'MULTILINESTRING', 'MULTIPOLYGON'] as const;
type WktType = (typeof TYPES)[number];

type Token = { kind: 'word' | 'number' | '(' | ')' | ','; text: string; at: number };

function tokenize(text: string, offset: number): Token[] {
  const re = /([A-Za-z]+)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([(),])/y;
  const tokens: Token[] = [];
  for (let i = 0; ; i = re.lastIndex) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return tokens;
    re.lastIndex = i;
    const m = re.exec(text);
    const at = offset + i + 1; // 1-based position in the original text
    if (!m) throw new Error(`WKT: unexpected character '${text[i]}' at position ${at}`);
    if (m[1] !== undefined) tokens.push({ kind: 'word', text: m[1], at });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2], at });
    else tokens.push({ kind: m[3] as '(' | ')' | ',', text: m[3]!, at });
  }
}

/** Parses WKT or EWKT (`SRID=4326;…`) into a GeoJSON-shaped geometry; throws an Error saying what is wrong. */
export function parseWkt(text: string): Geometry {
  if (typeof text !== 'string' || text.trim() === '') throw new Error('WKT: empty input');
  let body = text;
  let offset = 0;
  const srid = /^\s*SRID\s*=\s*([^;]*);/i.exec(text);
  if (srid) {
    if (srid[1]!.trim() !== '4326') throw new Error(`WKT: only SRID 4326 (WGS84) is supported, got SRID=${srid[1]!.trim()}`);
    body = text.slice(srid[0].length);
    offset = srid[0].length;
  }
  const tokens = tokenize(body, offset);
  let k = 0;
  const where = (t: Token | undefined) => (t ? `'${t.text}' at position ${t.at}` : 'end of input');
  const expect = (kind: Token['kind']): Token => {
    const t = tokens[k];
    if (t?.kind !== kind) throw new Error(`WKT: expected ${kind === 'number' ? 'a number' : `'${kind}'`} but found ${where(t)}`);
    k++;
    return t;
  };
  const isNext = (kind: Token['kind']) => tokens[k]?.kind === kind;

  const head = tokens[k];
  if (head?.kind !== 'word') throw new Error(`WKT: expected a geometry type but found ${where(head)}`);
  const type = head.text.toUpperCase() as WktType;
  if (!TYPES.includes(type)) throw new Error(`WKT: unsupported geometry type ${type}; expected ${TYPES.join(', ')}`);
  k++;
  if (tokens[k]?.kind === 'word') {
    const dim = tokens[k]!.text.toUpperCase();
    if (dim === 'EMPTY') throw new Error(`WKT: ${type} EMPTY is not accepted; a component needs a location`);
    if (dim === 'M' || dim === 'ZM') throw new Error(`WKT: measured coordinates (${dim}) are not supported`);
    if (dim !== 'Z') throw new Error(`WKT: unexpected ${where(tokens[k])} after ${type}`);
    k++;
    if (tokens[k]?.text.toUpperCase() === 'EMPTY') throw new Error(`WKT: ${type} EMPTY is not accepted; a component needs a location`);
  }

  const position = (): Position => {
    const nums: number[] = [];
    while (isNext('number')) nums.push(Number(expect('number').text));
    if (nums.length < 2 || nums.length > 3) {
      throw new Error(`WKT: a position needs 2 or 3 numbers (lon lat [z]), got ${nums.length} before ${where(tokens[k])}`);
    }
    return [nums[0]!, nums[1]!];
  };
  const listOf = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    while (isNext(',')) {
      k++;
      out.push(item());
    }
    expect(')');
    return out;
  };
  const line = () => listOf(position);
  const polygon = () => listOf(line);

  let geometry: Geometry;
  if (type === 'POINT') {
    expect('(');
    geometry = { type: 'Point', coordinates: position() };
    expect(')');
  } else if (type === 'LINESTRING') geometry = { type: 'LineString', coordinates: line() };
  else if (type === 'POLYGON') geometry = { type: 'Polygon', coordinates: polygon() };
  else if (type === 'MULTILINESTRING') geometry = { type: 'MultiLineString', coordinates: listOf(line) };
  else geometry = { type: 'MultiPolygon', coordinates: listOf(polygon) };
  if (k < tokens.length) throw new Error(`WKT: unexpected ${where(tokens[k])} after the geometry`);
  return geometry;
}

const pos = (p: Position) => `${p[0]} ${p[1]}`;
const seq = (ps: Position[]) => `(${ps.map(pos).join(', ')})`;
const rings = (rs: Position[][]) => `(${rs.map(seq).join(', ')})`;

/** Writes a geometry as plain 2D WKT (no SRID prefix). */
export function toWkt(g: Geometry): string {
  switch (g.type) {
    case 'Point':
      return `POINT (${pos(g.coordinates)})`;
    case 'LineString':
      return `LINESTRING ${seq(g.coordinates)}`;
    case 'Polygon':
      return `POLYGON ${rings(g.coordinates)}`;
    case 'MultiLineString':
      return `MULTILINESTRING ${rings(g.coordinates)}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON (${g.coordinates.map(rings).join(', ')})`;
  }
}

import { invalid } from '../../platform/errors.ts';
import { MAX_ZOOM, validTile } from '../../platform/geo/tiles/tile-math.ts';

/** Checks a tile address, naming the first part that is wrong (z, then x, then y). */
export function checkTile(z: number, x: number, y: number): void {
  if (validTile(z, x, y)) return;
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw invalid('z', `must be an integer from 0 to ${MAX_ZOOM}`);
  const last = 2 ** z - 1;
  if (!Number.isInteger(x) || x < 0 || x > last) throw invalid('x', `must be an integer from 0 to ${last} at zoom ${z}`);
  throw invalid('y', `must be an integer from 0 to ${last} at zoom ${z}`);
}

/** z/x/y as they arrive in a path → numbers, checked. */
export function parseTile(params: { z: string; x: string; y: string }): { z: number; x: number; y: number } {
  const num = (field: 'z' | 'x' | 'y') => {
    const s = params[field];
    if (!/^\d{1,8}$/.test(s)) throw invalid(field, 'must be a non-negative integer');
    return Number(s);
  };
  const t = { z: num('z'), x: num('x'), y: num('y') };
  checkTile(t.z, t.x, t.y);
  return t;
}

/** `01,02` → ['01', '02']; empty or absent → undefined (every class). */
export function parseClasses(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  const list = s.split(',').map((c) => c.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

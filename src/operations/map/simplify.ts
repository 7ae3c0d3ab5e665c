// Douglas–Peucker line simplification, for coordinates already in pixels: the tolerance is a
// distance in the same units, so "one pixel" means the same at every zoom.

export type Pt = [number, number];

/** Squared distance from p to the segment a–b (to a itself when a and b coincide). */
function sqSegmentDistance(p: Pt, a: Pt, b: Pt): number {
  let x = a[0];
  let y = a[1];
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0];
      y = b[1];
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

/**
 * Keeps the first and last point and every point that lies farther than `tolerance` from the line
 * through the points kept around it (Douglas–Peucker, iterative so long lines cannot overflow the stack).
 */
export function simplifyLine(points: readonly Pt[], tolerance: number): Pt[] {
  const n = points.length;
  if (n <= 2 || !(tolerance > 0)) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const sqTolerance = tolerance * tolerance;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let max = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = sqSegmentDistance(points[i], points[first], points[last]);
      if (d > max) {
        max = d;
        index = i;
      }
    }
    if (index !== -1 && max > sqTolerance) {
      keep[index] = 1;
      stack.push(first, index, index, last);
    }
  }
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]);
  return out;
}

/**
 * Simplifies a ring given open or closed; returns it open (no repeated closing point). A ring
 * that shrinks below three points is returned as it is left (callers drop rings without area).
 */
export function simplifyRing(ring: readonly Pt[], tolerance: number): Pt[] {
  const open = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring.slice();
  if (open.length <= 3 || !(tolerance > 0)) return open;
  const out = simplifyLine([...open, open[0]], tolerance);
  out.pop();
  return out;
}

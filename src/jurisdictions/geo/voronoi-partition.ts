// Splits an area into n plausible-looking pieces that tile it exactly: Voronoi cells of n sites
// inside the area, moved towards evenly sized cells, then clipped to the area.
import { Delaunay } from 'd3-delaunay';
import polygonClipping from 'polygon-clipping';
import { packParts, pointInAnyPart, type FlatParts } from './flat-rings.ts';
import { bbox, type BBox, type MultiPolygon, type Ring } from './polygon.ts';
import type { Random } from './random.ts';

/** Tuning for partitionArea. */
export interface PartitionOptions {
  /** Lloyd-style relaxation steps; 2 removes most slivers. */
  relaxSteps?: number;
  /** Sample points per piece used to estimate cell centroids during relaxation. */
  samplesPerPiece?: number;
}

/** Uniform random points inside an area, by rejection from its bounding box. */
export function samplePoints(flat: FlatParts, box: BBox, count: number, random: Random): Float64Array {
  const out = new Float64Array(count * 2);
  const [minX, minY, maxX, maxY] = box;
  for (let k = 0, tries = 0; k < count; tries++) {
    if (tries > count * 10000) throw new Error('area too thin to sample');
    const x = minX + random() * (maxX - minX);
    const y = minY + random() * (maxY - minY);
    if (!pointInAnyPart(flat, x, y)) continue;
    out[2 * k] = x;
    out[2 * k + 1] = y;
    k++;
  }
  return out;
}

// k-means on samples approximates Lloyd relaxation (sites → centroids of their cells within the
// area) without clipping anything; a site whose mean falls outside a concave area stays put so
// that every site, and hence every final cell, keeps a piece of the area.
function relax(sites: Float64Array, samples: Float64Array, flat: FlatParts): void {
  const n = sites.length / 2;
  const delaunay = new Delaunay(sites);
  const sumX = new Float64Array(n);
  const sumY = new Float64Array(n);
  const count = new Uint32Array(n);
  let hint = 0;
  for (let k = 0; k < samples.length; k += 2) {
    hint = delaunay.find(samples[k]!, samples[k + 1]!, hint);
    sumX[hint]! += samples[k]!;
    sumY[hint]! += samples[k + 1]!;
    count[hint]!++;
  }
  for (let i = 0; i < n; i++) {
    if (count[i] === 0) continue;
    const x = sumX[i]! / count[i]!;
    const y = sumY[i]! / count[i]!;
    if (!pointInAnyPart(flat, x, y)) continue;
    sites[2 * i] = x;
    sites[2 * i + 1] = y;
  }
}

function segmentTouchesBox(ax: number, ay: number, bx: number, by: number, box: BBox): boolean {
  const [minX, minY, maxX, maxY] = box;
  if (Math.max(ax, bx) < minX || Math.min(ax, bx) > maxX || Math.max(ay, by) < minY || Math.min(ay, by) > maxY) {
    return false;
  }
  // The segment's line must separate neither all four corners onto one side.
  const side = (x: number, y: number) => Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
  const s = side(minX, minY) + side(maxX, minY) + side(minX, maxY) + side(maxX, maxY);
  return Math.abs(s) < 4;
}

// Most cells lie wholly inside the area; only those the area's boundary passes near go through
// the (much slower) general polygon intersection.
function clipCell(cell: Ring, area: MultiPolygon, flat: FlatParts): MultiPolygon {
  const box = bbox([[cell]]);
  const { coords, ringStart } = flat;
  let boundaryNear = false;
  for (let r = 0; r + 1 < ringStart.length && !boundaryNear; r++) {
    const b = 4 * r;
    if (flat.ringBox[b + 2]! < box[0] || flat.ringBox[b]! > box[2] || flat.ringBox[b + 3]! < box[1] || flat.ringBox[b + 1]! > box[3]) {
      continue;
    }
    for (let i = ringStart[r]! + 1; i < ringStart[r + 1]!; i++) {
      if (segmentTouchesBox(coords[2 * i - 2]!, coords[2 * i - 1]!, coords[2 * i]!, coords[2 * i + 1]!, box)) {
        boundaryNear = true;
        break;
      }
    }
  }
  if (!boundaryNear) {
    return pointInAnyPart(flat, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2) ? [[cell]] : [];
  }
  return polygonClipping.intersection([[cell]], area);
}

/**
 * Partitions `area` into `count` pieces that tile it (up to floating-point error), deterministic
 * for a given random source. Pieces are in no particular spatial order.
 */
export function partitionArea(area: MultiPolygon, count: number, random: Random, options: PartitionOptions = {}): MultiPolygon[] {
  if (count <= 0) return [];
  if (count === 1) return [area];
  const flat = packParts([area]);
  const box = bbox(area);
  const sites = samplePoints(flat, box, count, random);
  const relaxSteps = options.relaxSteps ?? 2;
  if (relaxSteps > 0) {
    const samples = samplePoints(flat, box, Math.max(200, count * (options.samplesPerPiece ?? 30)), random);
    for (let s = 0; s < relaxSteps; s++) relax(sites, samples, flat);
  }
  const padX = (box[2] - box[0]) * 0.01 + 1e-9;
  const padY = (box[3] - box[1]) * 0.01 + 1e-9;
  const voronoi = new Delaunay(sites).voronoi([box[0] - padX, box[1] - padY, box[2] + padX, box[3] + padY]);
  const pieces: MultiPolygon[] = [];
  for (let i = 0; i < count; i++) {
    const cell = voronoi.cellPolygon(i) as Ring | null;
    pieces.push(cell ? clipCell(cell, area, flat) : []);
  }
  return pieces;
}

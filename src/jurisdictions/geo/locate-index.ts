// Point → jurisdiction lookup. Only leaves are indexed: in a tree whose children tile their
// parent, the leaf containing a point names the whole path (a grid code's prefixes are its
// committee, street and district), so one hit answers "which deepest area is this in".
import Flatbush from 'flatbush';
import { packParts, pointInPart, type FlatParts } from './flat-rings.ts';
import type { MultiPolygon } from './polygon.ts';

/** An area that may become a leaf of the index. */
export interface LocatableArea {
  code: string;
  parent: string | null;
  geometry: MultiPolygon;
}

/** The areas nobody names as parent: grid cells, plus any node that has no children. */
export function leavesOf<T extends LocatableArea>(areas: readonly T[]): T[] {
  const parents = new Set<string>();
  for (const a of areas) if (a.parent !== null) parents.add(a.parent);
  return areas.filter((a) => !parents.has(a.code) && a.geometry.length > 0);
}

/** Spatial index over leaf polygons answering locate(lon, lat) with the deepest code. */
export class LocateIndex {
  readonly size: number;
  private readonly codes: string[];
  private readonly flat: FlatParts;
  private readonly tree: Flatbush;
  // Set by the search callback; a field rather than a closure so that locate allocates nothing.
  private hit = -1;
  /** The part the previous point was in: imports and sensors send runs of points from one place. */
  private last = -1;
  private qx = 0;
  private qy = 0;
  private readonly test = (part: number): boolean => {
    if (!pointInPart(this.flat, part, this.qx, this.qy)) return false;
    this.hit = part;
    return true;
  };

  /** Indexes the given leaves (see leavesOf); each polygon part becomes one box in the tree. */
  constructor(leaves: readonly { code: string; geometry: MultiPolygon }[]) {
    this.codes = leaves.map((l) => l.code);
    this.size = leaves.length;
    this.flat = packParts(leaves.map((l) => l.geometry));
    this.tree = new Flatbush(Math.max(1, this.flat.partCount));
    const { ringBox, partStart } = this.flat;
    for (let p = 0; p < this.flat.partCount; p++) {
      const b = 4 * partStart[p]!; // a part's box is its outer ring's box
      this.tree.add(ringBox[b]!, ringBox[b + 1]!, ringBox[b + 2]!, ringBox[b + 3]!);
    }
    if (this.flat.partCount === 0) this.tree.add(0, 0, 0, 0);
    this.tree.finish();
  }

  /** Builds an index from a whole tree of areas by picking its leaves. */
  static fromTree(areas: readonly LocatableArea[]): LocateIndex {
    return new LocateIndex(leavesOf(areas));
  }

  /** The code of the deepest area containing the point, or null outside every area. */
  locate(lon: number, lat: number): string | null {
    if (this.flat.partCount === 0) return null;
    // Leaves tile the city, so a point inside the last part is in no other (the ring test counts
    // a shared edge to one side only): the tree walk is skipped for most points of a sorted file.
    if (this.last >= 0 && pointInPart(this.flat, this.last, lon, lat)) return this.codes[this.flat.partOwner[this.last]!]!;
    this.qx = lon;
    this.qy = lat;
    this.hit = -1;
    if (!this.tree.collides(lon, lat, lon, lat, this.test)) return null;
    this.last = this.hit;
    return this.codes[this.flat.partOwner[this.hit]!]!;
  }

  /** Bytes held by the packed rings and the tree (not counting the code strings). */
  byteSize(): number {
    const f = this.flat;
    return f.coords.byteLength + f.ringStart.byteLength + f.ringBox.byteLength + f.partStart.byteLength + f.partOwner.byteLength + this.tree.data.byteLength;
  }
}

import { createHash } from 'node:crypto';

/** An encoded tile with its entity tag. */
export interface Tile {
  bytes: Uint8Array;
  /** Strong ETag (quoted) from a hash of the bytes. */
  etag: string;
}

/** The entity tag of a tile's bytes. */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
}

interface Entry<M> extends Tile {
  meta: M;
  size: number;
}

// What an entry costs besides its bytes: the key, the Map slot, the objects around it.
const OVERHEAD = 160;

/**
 * Encoded tiles, least recently used first out, bounded by bytes. Each entry carries metadata
 * (`M`) that invalidation looks at: which source the tile is from, its box, what it was built from.
 */
export class TileCache<M> {
  private readonly entries = new Map<string, Entry<M>>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  /** The tile under `key`, now the most recently used; undefined when absent. */
  get(key: string): (Tile & { meta: M }) | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Stores a tile, evicting the least recently used ones until it fits. Tiles larger than the whole budget are not kept. */
  set(key: string, tile: Tile, meta: M): void {
    this.delete(key);
    const size = tile.bytes.length + key.length * 2 + OVERHEAD;
    if (size > this.maxBytes) return;
    this.entries.set(key, { ...tile, meta, size });
    this.used += size;
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(k);
      this.used -= e.size;
    }
  }

  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.used -= e.size;
    return true;
  }

  /** Drops every entry the predicate picks; returns how many. */
  dropWhere(pick: (meta: M, key: string) => boolean): number {
    let n = 0;
    for (const [k, e] of this.entries) {
      if (pick(e.meta, k)) {
        this.entries.delete(k);
        this.used -= e.size;
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.used;
  }
}

import type SQLite from 'better-sqlite3';
import type { Database, Tx } from '../../platform/db/database.ts';
import { toJson } from '../../platform/db/dialect.ts';
import { withinScope } from '../../platform/access.ts';
import { changedFields } from './changes.ts';
import { keepStored } from './blanks.ts';
import type { ComponentRow } from './component.schema.ts';
import { addDelta, type ComponentStore, type CountDeltas, type NewComponent } from './component.store.ts';

/** What a batch did: rows created, changed, already identical, and the codes it refused to change. */
export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Codes taken by components outside `WriteOptions.scope`: left as they are. */
  refused: string[];
  /** Where the batch changed the map: every row it wrote, before and after (null when it wrote none). */
  bbox: Bbox | null;
}

type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** `box` grown to take in a row's bounds (a new box when there was none). */
function grow(box: Bbox | null, r: { min_lon: number; min_lat: number; max_lon: number; max_lat: number }): Bbox {
  if (!box) return [r.min_lon, r.min_lat, r.max_lon, r.max_lat];
  return [Math.min(box[0], r.min_lon), Math.min(box[1], r.min_lat), Math.max(box[2], r.max_lon), Math.max(box[3], r.max_lat)];
}

export interface WriteOptions {
  /**
   * The registry was empty when this run began (import/initial-load.ts): rows are inserted first
   * and only codes already taken are read back; SQLite's R*Tree and the counts are filled at the
   * load's end instead.
   */
  initialLoad?: boolean;
  /**
   * The writer's jurisdiction (an import's scope). A row whose code is taken by a component outside
   * it is refused: checking where the row would put the component is not enough, or a street's
   * staff could take over another street's component by naming its code.
   */
  scope?: string;
  /** By code: the fields a row leaves blank, which a component it updates keeps (blanks.ts). */
  blanks?: ReadonlyMap<string, number>;
}

const INSERT_COLS = [
  'code', 'type_code', 'jurisdiction_code', 'geometry_kind', 'geometry', 'lon', 'lat', 'min_lon', 'min_lat', 'max_lon', 'max_lat',
  'status', 'name', 'address', 'owner_dept', 'maintainer_dept', 'attributes', 'photos', 'source', 'version', 'created_at', 'updated_at', 'updated_by',
] as const;

/**
 * A checked row as an import's checker hands it over: the values of INSERT_COLS up to `photos`
 * (attributes and photos as JSON text), to which the writer appends the five it stamps (`source`
 * … `updated_by`) before binding them as they are.
 *
 * Why not the row object: a worker thread's batch is copied to the writing thread, and 5,000
 * objects of 18 named fields cost that thread about twice as much to receive as 5,000 arrays,
 * besides the garbage; the writing thread is one of the two an import keeps busy.
 */
export type PackedRow = unknown[];

/** The columns a checker packs: INSERT_COLS up to `photos`; the writer stamps the rest. */
const PACKED_COLS = INSERT_COLS.slice(0, INSERT_COLS.indexOf('source'));

/** Where a packed row keeps the values the writer reads or completes. */
export const PACKED = {
  code: INSERT_COLS.indexOf('code'),
  type: INSERT_COLS.indexOf('type_code'),
  jurisdiction: INSERT_COLS.indexOf('jurisdiction_code'),
  owner: INSERT_COLS.indexOf('owner_dept'),
  maintainer: INSERT_COLS.indexOf('maintainer_dept'),
  status: INSERT_COLS.indexOf('status'),
  name: INSERT_COLS.indexOf('name'),
  address: INSERT_COLS.indexOf('address'),
  attributes: INSERT_COLS.indexOf('attributes'),
  photos: INSERT_COLS.indexOf('photos'),
  minLon: INSERT_COLS.indexOf('min_lon'),
  minLat: INSERT_COLS.indexOf('min_lat'),
  maxLon: INSERT_COLS.indexOf('max_lon'),
  maxLat: INSERT_COLS.indexOf('max_lat'),
  stamps: PACKED_COLS.length,
  createdAt: INSERT_COLS.indexOf('created_at'),
  updatedAt: INSERT_COLS.indexOf('updated_at'),
} as const;

/** A checked row, packed (in the checking thread). */
export function pack(r: Omit<NewComponent, 'source' | 'version' | 'created_at' | 'updated_at' | 'updated_by'>): PackedRow {
  return PACKED_COLS.map((c) => sqliteValue(r as NewComponent, c));
}

/** A stamped packed row as the row it stands for. */
export function unpack(v: PackedRow): NewComponent {
  const row = Object.fromEntries(INSERT_COLS.map((c, i) => [c, v[i]])) as Record<string, unknown>;
  row.attributes = JSON.parse(row.attributes as string);
  row.photos = JSON.parse(row.photos as string);
  return row as unknown as NewComponent;
}

/**
 * Writes many components at once, idempotent by code: a new code is inserted, a known code whose
 * content differs is updated (version + 1, history row), an identical one is left alone. Counts
 * move with every change. Runs inside the caller's transaction: a batch commits whole or not at all.
 *
 * SQLite takes a fast path — prepared statements run synchronously on the transaction's own
 * connection — because imports and the demo city write millions of rows.
 */
export class BulkWriter {
  private stmts: { insert: SQLite.Statement; insertNew: SQLite.Statement; rtree: SQLite.Statement; update: SQLite.Statement; rtreeUpdate: SQLite.Statement; count: SQLite.Statement } | null = null;
  private selects = new Map<number, SQLite.Statement>();

  constructor(
    private readonly database: Database,
    private readonly store: ComponentStore,
  ) {}

  /** Writes `rows` (codes unique within the batch) as `actorId`, at time `at`. */
  async write(tx: Tx, rows: NewComponent[], actorId: string | null, at: number, opts: WriteOptions = {}): Promise<BatchResult> {
    const result: BatchResult = { created: 0, updated: 0, unchanged: 0, refused: [], bbox: null };
    if (rows.length === 0) return result;
    const deltas: CountDeltas = new Map();
    let known = rows;
    if (opts.initialLoad) {
      // Nearly every row is new: insert, and look up only the codes the insert found taken.
      // Counts are not kept row by row either: the load's end counts the table afresh.
      const taken = await this.insertNew(tx, rows);
      result.created = rows.length - taken.size;
      for (const r of rows) if (!taken.has(r.code)) result.bbox = grow(result.bbox, r);
      known = taken.size ? rows.filter((r) => taken.has(r.code)) : [];
    }
    const existing = new Map((await this.existing(tx, known.map((r) => r.code))).map((r) => [r.code, r]));
    const inserts: NewComponent[] = [];
    const updates: Array<{ before: ComponentRow; next: NewComponent; changes: Record<string, [unknown, unknown]> }> = [];
    for (const given of known) {
      const before = existing.get(given.code);
      const r = before ? keepStored(given, before, opts.blanks?.get(given.code) ?? 0) : given;
      if (!before) {
        inserts.push(r);
        result.bbox = grow(result.bbox, r);
        addDelta(deltas, r.jurisdiction_code, r.type_code, r.status, 1);
        continue;
      }
      if (opts.scope && !withinScope(opts.scope, before.jurisdiction_code)) {
        result.refused.push(r.code);
        continue;
      }
      const changes = changedFields(before, r);
      if (!changes) {
        result.unchanged++;
        continue;
      }
      // `source` says where the component came from (its history's creation is told from it): an update keeps it.
      const next: NewComponent = { ...r, source: before.source, version: before.version + 1, created_at: before.created_at, updated_at: at, updated_by: actorId };
      updates.push({ before, next, changes });
      result.bbox = grow(grow(result.bbox, before), r);
      addDelta(deltas, before.jurisdiction_code, before.type_code, before.status, -1);
      addDelta(deltas, r.jurisdiction_code, r.type_code, r.status, 1);
    }
    if (this.database.sqlite) this.sqliteWrite(inserts, updates);
    else {
      await this.store.insertMany(tx, inserts, { skipTaken: false });
      // The rows were read locked (existing), so no one else can have changed them meanwhile.
      for (const u of updates) if (!(await this.store.update(tx, u.before.id, u.next, u.before.version))) throw new Error(`component ${u.next.code} changed under its row lock`);
    }
    if (opts.initialLoad) deltas.clear();
    if (this.database.sqlite) this.sqliteCounts(deltas);
    else await this.store.applyCounts(tx, deltas);
    if (updates.length) {
      await this.store.appendHistory(tx, updates.map((u) => ({ component_code: u.next.code, version: u.next.version, action: 'imported' as const, actor_id: actorId, at, changes: u.changes })));
    }
    result.created += inserts.length;
    result.updated = updates.length;
    return result;
  }

  /**
   * As `write`, for stamped packed rows (an import's). An initial load on SQLite binds them as
   * they are; anything else, and a row whose code is taken, goes through `write`.
   */
  async writePacked(tx: Tx, rows: PackedRow[], actorId: string | null, at: number, opts: WriteOptions = {}): Promise<BatchResult> {
    if (!(opts.initialLoad && this.database.sqlite)) return this.write(tx, rows.map(unpack), actorId, at, opts);
    const s = this.prepare();
    const taken: NewComponent[] = [];
    let bbox: Bbox | null = null;
    for (const v of rows) {
      if (s.insertNew.run(v).changes === 0) taken.push(unpack(v));
      else bbox = grow(bbox, { min_lon: v[PACKED.minLon] as number, min_lat: v[PACKED.minLat] as number, max_lon: v[PACKED.maxLon] as number, max_lat: v[PACKED.maxLat] as number });
    }
    // Through `write` as the same initial load: its counts are left to the load's end, as here.
    const r = await this.write(tx, taken, actorId, at, opts);
    return { created: rows.length - taken.length + r.created, updated: r.updated, unchanged: r.unchanged, refused: r.refused, bbox: r.bbox ? grow(bbox, { min_lon: r.bbox[0], min_lat: r.bbox[1], max_lon: r.bbox[2], max_lat: r.bbox[3] }) : bbox };
  }

  /** Inserts the rows whose code is free (without R*Tree entries: the load's end adds them); returns the codes that were taken. */
  private async insertNew(tx: Tx, rows: NewComponent[]): Promise<Set<string>> {
    const taken = new Set<string>();
    if (this.database.sqlite) {
      const s = this.prepare();
      for (const r of rows) if (s.insertNew.run(...INSERT_COLS.map((c) => sqliteValue(r, c))).changes === 0) taken.add(r.code);
      return taken;
    }
    const inserted = new Set(await this.store.insertMany(tx, rows, { skipTaken: true }));
    for (const r of rows) if (!inserted.has(r.code)) taken.add(r.code);
    return taken;
  }

  private async existing(tx: Tx, codes: string[]): Promise<ComponentRow[]> {
    if (!this.database.sqlite) return this.store.byCodes(tx, codes, { forUpdate: true });
    const out: ComponentRow[] = [];
    for (let i = 0; i < codes.length; i += 500) {
      const chunk = codes.slice(i, i + 500);
      let stmt = this.selects.get(chunk.length);
      if (!stmt) {
        stmt = this.database.sqlite.prepare(`select * from components_item where code in (${chunk.map(() => '?').join(',')})`);
        this.selects.set(chunk.length, stmt);
      }
      out.push(...(stmt.all(...chunk) as ComponentRow[]));
    }
    return out;
  }

  private sqliteWrite(inserts: NewComponent[], updates: Array<{ before: ComponentRow; next: NewComponent }>): void {
    const s = this.prepare();
    for (const r of inserts) {
      const info = s.insert.run(...INSERT_COLS.map((c) => sqliteValue(r, c)));
      s.rtree.run(info.lastInsertRowid, r.min_lon, r.max_lon, r.min_lat, r.max_lat);
    }
    for (const { before, next } of updates) {
      s.update.run(...INSERT_COLS.filter((c) => c !== 'code' && c !== 'created_at').map((c) => sqliteValue(next, c)), before.id);
      s.rtreeUpdate.run(next.min_lon, next.max_lon, next.min_lat, next.max_lat, before.id);
    }
  }

  /** The same upserts as ComponentStore.applyCounts, one prepared statement each: a big batch moves thousands of counts. */
  private sqliteCounts(deltas: CountDeltas): void {
    const s = this.prepare();
    for (const [key, n] of deltas) {
      if (n === 0) continue;
      const [jurisdiction, type, status] = key.split('\0');
      s.count.run(jurisdiction, type, status, n);
    }
  }

  private prepare() {
    if (this.stmts) return this.stmts;
    const db = this.database.sqlite!;
    const setCols = INSERT_COLS.filter((c) => c !== 'code' && c !== 'created_at');
    this.stmts = {
      insert: db.prepare(`insert into components_item (${INSERT_COLS.join(', ')}) values (${INSERT_COLS.map(() => '?').join(', ')})`),
      insertNew: db.prepare(`insert into components_item (${INSERT_COLS.join(', ')}) values (${INSERT_COLS.map(() => '?').join(', ')}) on conflict (code) do nothing`),
      rtree: db.prepare('insert into components_rtree (id, min_lon, max_lon, min_lat, max_lat) values (?, ?, ?, ?, ?)'),
      update: db.prepare(`update components_item set ${setCols.map((c) => `${c} = ?`).join(', ')} where id = ?`),
      rtreeUpdate: db.prepare('update components_rtree set min_lon = ?, max_lon = ?, min_lat = ?, max_lat = ? where id = ?'),
      count: db.prepare('insert into components_count (jurisdiction_code, type_code, status, n) values (?, ?, ?, ?) on conflict (jurisdiction_code, type_code, status) do update set n = n + excluded.n'),
    };
    return this.stmts;
  }
}

function sqliteValue(r: NewComponent, c: (typeof INSERT_COLS)[number]): unknown {
  if (c === 'attributes' || c === 'photos') return toJson(r[c]);
  return r[c];
}


import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Executor } from '../../platform/db/database.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { Once } from '../../platform/once.ts';
import type { DeviceTypeRow, DeviceTypeView, Metric } from './device.schema.ts';
import type { DeviceStore } from './device.store.ts';

/** A device type as the seed file (data/devices/types.json) writes it. */
interface SeedType {
  code: string;
  nameZh: string;
  nameEn: string;
  ownerSector?: string | null;
  mountOn?: string[];
  offlineAfterS: number;
  reportIntervalS: number;
  retentionDays: number;
  metrics: Metric[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The committed device types. */
export function seedDeviceTypes(): SeedType[] {
  return (JSON.parse(fs.readFileSync(path.join(root, 'data/devices/types.json'), 'utf8')) as { types: SeedType[] }).types;
}

/** A type in memory: its metrics by key, for checking every reading. */
export interface LoadedDeviceType {
  row: DeviceTypeRow;
  metrics: Metric[];
  view: DeviceTypeView;
}

/** The device types, held in memory (a few dozen), loaded on first use. */
export class DeviceTypes {
  private byCode = new Map<string, LoadedDeviceType>();
  private readonly loaded = new Once();

  constructor(private readonly store: DeviceStore) {}

  ready(db: Executor): Promise<void> {
    return this.loaded.run(() => this.load(db));
  }

  async load(db: Executor): Promise<void> {
    const next = new Map<string, LoadedDeviceType>();
    for (const row of await this.store.listTypes(db)) next.set(row.code, toLoaded(row));
    this.byCode = next;
  }

  get(code: string): LoadedDeviceType | null {
    return this.byCode.get(code) ?? null;
  }

  all(): LoadedDeviceType[] {
    return [...this.byCode.values()];
  }

  /** Adds the committed types that are missing; returns how many were added. */
  async seed(db: Executor, now: number): Promise<number> {
    let added = 0;
    for (const t of seedDeviceTypes()) {
      const row: DeviceTypeRow = {
        code: t.code,
        name_zh: t.nameZh,
        name_en: t.nameEn,
        owner_sector: t.ownerSector ?? null,
        metrics: t.metrics,
        mount_on: t.mountOn ?? [],
        offline_after_s: t.offlineAfterS,
        report_interval_s: t.reportIntervalS,
        retention_days: t.retentionDays,
        builtin: true,
        created_at: now,
        updated_at: now,
      };
      if (await this.store.insertType(db, row)) added++;
    }
    await this.load(db);
    return added;
  }
}

function toLoaded(row: DeviceTypeRow): LoadedDeviceType {
  const metrics = fromJson<Metric[]>(row.metrics);
  const view: DeviceTypeView = {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    ownerSector: row.owner_sector,
    metrics,
    mountOn: fromJson<string[]>(row.mount_on),
    offlineAfterS: Number(row.offline_after_s),
    reportIntervalS: Number(row.report_interval_s),
    retentionDays: Number(row.retention_days),
  };
  return { row, metrics, view };
}

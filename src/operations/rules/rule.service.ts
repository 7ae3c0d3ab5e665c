import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { authorize, readFilter, scopePrefix, UNSCOPED, withinScope, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { fromJson, toBool } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { Once } from '../../platform/once.ts';
import { checkCondition, keepsTime, lookbackMs, metricsOf, type Condition } from './condition.ts';
import type { RuleInput, RuleRow, RuleView } from './rule.schema.ts';
import type { RuleStore } from './rule.store.ts';

/** A rule in memory, ready to evaluate. */
export interface LoadedRule {
  row: RuleRow;
  condition: Condition;
  lookbackMs: number;
  metrics: string[];
  prefix: string;
  /** It keeps time (keepsTime): its watch stays between readings, to be re-evaluated on ticks. */
  timed: boolean;
}

interface Pack {
  code: string;
  rules: Array<{ code: string; nameZh: string; nameEn: string; deviceType: string; severity: RuleRow['severity']; condition: unknown; clearAfterS?: number; messageZh?: string; messageEn?: string }>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Rules are data: operators write them for their jurisdiction (checked against the device type's
 * metrics when saved); shipped packs are seeded for the whole city. Held in memory by device type and
 * reloaded in every process when one changes.
 */
export class RuleService {
  private byType = new Map<string, LoadedRule[]>();
  private byRuleId = new Map<string, LoadedRule>();
  private readonly loaded = new Once();

  constructor(
    private readonly ctx: AppContext,
    private readonly store: RuleStore,
  ) {}

  ready(): Promise<void> {
    return this.loaded.run(() => this.load());
  }

  async load(): Promise<void> {
    await this.ctx.services.devices.types.ready(this.ctx.db);
    const next = new Map<string, LoadedRule[]>();
    for (const row of await this.store.listRules(this.ctx.db)) {
      if (!toBool(row.enabled)) continue;
      const condition = fromJson<Condition>(row.condition);
      const list = next.get(row.device_type) ?? [];
      list.push({ row, condition, lookbackMs: lookbackMs(condition), metrics: metricsOf(condition), prefix: scopePrefix(row.jurisdiction_code), timed: keepsTime(condition) });
      next.set(row.device_type, list);
    }
    this.byType = next;
    // The engine asks by id for every watch on every tick: a map, not a scan.
    this.byRuleId = new Map([...next.values()].flat().map((r) => [r.row.id, r]));
  }

  /** Enabled rules that apply to a device of this type in this place. */
  rulesFor(deviceType: string, jurisdictionCode: string): LoadedRule[] {
    return (this.byType.get(deviceType) ?? []).filter((r) => jurisdictionCode.startsWith(r.prefix));
  }

  all(): LoadedRule[] {
    return [...this.byType.values()].flat();
  }

  /** The enabled rule with this id as loaded now (undefined when deleted or disabled). */
  byId(id: string): LoadedRule | undefined {
    return this.byRuleId.get(id);
  }

  /** Rules that apply somewhere in the caller's jurisdiction (the city's and their own). */
  async list(p: Principal | null): Promise<{ items: RuleView[] }> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { items: [] };
    const rows = await this.store.listRules(this.ctx.db);
    return { items: rows.filter((r) => { const rp = scopePrefix(r.jurisdiction_code); return rp.startsWith(f.prefix) || f.prefix.startsWith(rp); }).map(view) };
  }

  async create(p: Principal | null, input: RuleInput): Promise<RuleView> {
    authorize(p, 'rule.manage', UNSCOPED);
    const row = await this.checked(p, input, null);
    await this.ctx.transaction(async (tx) => {
      if (await this.store.getRule(tx, row.id)) throw new AppError('CONFLICT', `A rule ${row.id} already exists`, 'id');
      await this.store.insertRule(tx, row);
      await this.record(tx, p, 'rules.rule.created', row);
    });
    return view(row);
  }

  async update(p: Principal | null, id: string, version: number, input: RuleInput): Promise<RuleView> {
    authorize(p, 'rule.manage', UNSCOPED);
    const before = await this.store.getRule(this.ctx.db, id);
    if (!before || !this.mayManage(p, before.jurisdiction_code)) throw new AppError('NOT_FOUND', `No rule ${id} you may change`);
    const row = await this.checked(p, { ...input, id }, before);
    row.version = version + 1;
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.updateRule(tx, row, version))) throw new AppError('CONFLICT', `Rule ${id} is at version ${before.version}, not ${version}`, 'version');
      await this.record(tx, p, 'rules.rule.updated', row);
    });
    return view(row);
  }

  async remove(p: Principal | null, id: string, version: number): Promise<void> {
    authorize(p, 'rule.manage', UNSCOPED);
    const before = await this.store.getRule(this.ctx.db, id);
    if (!before || !this.mayManage(p, before.jurisdiction_code)) throw new AppError('NOT_FOUND', `No rule ${id} you may change`);
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.deleteRule(tx, id, version))) throw new AppError('CONFLICT', `Rule ${id} is at version ${before.version}, not ${version}`, 'version');
      await this.record(tx, p, 'rules.rule.deleted', before);
    });
  }

  /** Adds the shipped packs' rules that are missing (city-wide); returns how many. */
  async seedPacks(): Promise<number> {
    await this.ctx.services.devices.types.ready(this.ctx.db);
    const packs = (JSON.parse(fs.readFileSync(path.join(root, 'data/rules/packs.json'), 'utf8')) as { packs: Pack[] }).packs;
    const now = this.ctx.clock.now();
    let added = 0;
    for (const pack of packs) {
      for (const r of pack.rules) {
        const type = this.ctx.services.devices.types.get(r.deviceType);
        if (!type) throw new Error(`rule pack ${pack.code}: ${r.code} names unknown device type ${r.deviceType}`);
        const row: RuleRow = {
          id: r.code,
          pack: pack.code,
          name_zh: r.nameZh,
          name_en: r.nameEn,
          device_type: r.deviceType,
          jurisdiction_code: '310000',
          severity: r.severity,
          condition: checkCondition(r.condition, type.metrics),
          clear_after_s: r.clearAfterS ?? 60,
          message_zh: r.messageZh ?? r.nameZh,
          message_en: r.messageEn ?? r.nameEn,
          enabled: true,
          version: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        };
        if (await this.store.insertRule(this.ctx.db, row, 'ignore')) added++;
      }
    }
    await this.load();
    return added;
  }

  private async checked(p: Principal, input: RuleInput, before: RuleRow | null): Promise<RuleRow> {
    await this.ctx.services.devices.types.ready(this.ctx.db);
    const type = this.ctx.services.devices.types.get(input.deviceType);
    if (!type) throw invalid('deviceType', `${JSON.stringify(input.deviceType)} is not a device type`);
    const jurisdiction = input.jurisdictionCode ?? before?.jurisdiction_code ?? p.scopeCode;
    if (!jurisdiction || !this.ctx.services.jurisdictions.get(jurisdiction)) throw invalid('jurisdictionCode', `${jurisdiction} is not a jurisdiction`);
    if (!this.mayManage(p, jurisdiction)) throw new AppError('SCOPE_FORBIDDEN', `${jurisdiction} is outside your jurisdiction`, 'jurisdictionCode');
    const condition = checkCondition(input.condition, type.metrics);
    const now = this.ctx.clock.now();
    return {
      id: input.id ?? before?.id ?? `${input.deviceType}.${this.ctx.random.uuid().slice(0, 8)}`,
      pack: before?.pack ?? null,
      name_zh: input.nameZh.trim(),
      name_en: input.nameEn.trim(),
      device_type: type.row.code,
      jurisdiction_code: jurisdiction,
      severity: input.severity,
      condition,
      clear_after_s: input.clearAfterS ?? 60,
      message_zh: input.messageZh?.trim() || input.nameZh.trim(),
      message_en: input.messageEn?.trim() || input.nameEn.trim(),
      enabled: input.enabled ?? true,
      version: before ? before.version : 1,
      created_by: before?.created_by ?? p.accountId,
      created_at: before?.created_at ?? now,
      updated_at: now,
    };
  }

  private mayManage(p: Principal, jurisdiction: string): boolean {
    return !!p.scopeCode && withinScope(p.scopeCode, jurisdiction);
  }

  private async record(tx: Parameters<Parameters<AppContext['transaction']>[0]>[0], p: Principal, action: string, row: RuleRow): Promise<void> {
    await this.ctx.audit.record(tx, { actorId: p.accountId, actorKind: 'account', action, subjectType: 'rule', subjectId: row.id, jurisdictionCode: row.jurisdiction_code, detail: { deviceType: row.device_type, severity: row.severity } });
    await this.ctx.outbox.add(tx, 'rules.rule.changed', { v: 1, id: row.id });
  }
}

function view(r: RuleRow): RuleView {
  return {
    id: r.id,
    pack: r.pack,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    deviceType: r.device_type,
    jurisdictionCode: r.jurisdiction_code,
    severity: r.severity,
    condition: fromJson(r.condition),
    clearAfterS: Number(r.clear_after_s),
    messageZh: r.message_zh,
    messageEn: r.message_en,
    enabled: toBool(r.enabled),
    version: Number(r.version),
    updatedAt: Number(r.updated_at),
  };
}

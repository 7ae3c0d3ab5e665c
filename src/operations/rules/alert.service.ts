import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { Tx } from '../../platform/db/database.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { DeviceInfo } from '../devices/device.service.ts';
import type { AlertRow, AlertStatus, AlertView, Evidence } from './rule.schema.ts';
import type { LoadedRule } from './rule.service.ts';
import type { RuleStore } from './rule.store.ts';

/**
 * The alert lifecycle: active (unacknowledged) → acknowledged → cleared. Raising and clearing write
 * the alert and its event in one transaction; a second open alert for the same rule and device is
 * refused by the database, so two processes cannot raise it twice.
 */
export class AlertService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: RuleStore,
  ) {}

  /** Raises an alert; null when one is already open for this rule and device. */
  async raise(rule: LoadedRule, device: DeviceInfo, evidence: Evidence, firedAt?: number): Promise<AlertRow | null> {
    const row = this.newAlert(rule, device, evidence, firedAt);
    try {
      await this.ctx.transaction((tx) => this.insert(tx, row, device));
    } catch (err) {
      if (isDuplicate(err)) return null; // another process raised it first
      throw err;
    }
    return row;
  }

  /**
   * Raises several alerts in one transaction (those one batch of readings fired): one wait for the
   * write turn instead of one each. Each answer is as `raise` gives it. Should another process have
   * raised one of them first, they are raised one at a time, so that the others still go in.
   */
  async raiseAll(items: Array<{ rule: LoadedRule; device: DeviceInfo; evidence: Evidence; firedAt?: number }>): Promise<Array<AlertRow | null>> {
    if (items.length <= 1) return Promise.all(items.map((i) => this.raise(i.rule, i.device, i.evidence, i.firedAt)));
    const rows = items.map((i) => this.newAlert(i.rule, i.device, i.evidence, i.firedAt));
    try {
      await this.ctx.transaction(async (tx) => {
        for (let k = 0; k < rows.length; k++) await this.insert(tx, rows[k]!, items[k]!.device);
      });
      return rows;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      const out: Array<AlertRow | null> = [];
      for (const i of items) out.push(await this.raise(i.rule, i.device, i.evidence, i.firedAt));
      return out;
    }
  }

  /** `firedAt`: when the rule found its condition holding (the engine writes alerts a moment later); now if not given. */
  private newAlert(rule: LoadedRule, device: DeviceInfo, evidence: Evidence, firedAt = this.ctx.clock.now()): AlertRow {
    const last = evidence.readings.at(-1);
    const message = rule.row.message_zh
      .replaceAll('{device}', device.name)
      .replaceAll('{value}', last ? String(last.value) : '')
      .replaceAll('{metric}', last?.metric ?? '');
    return {
      id: this.ctx.random.uuid(),
      rule_id: rule.row.id,
      subject_type: 'device',
      subject_id: device.id,
      jurisdiction_code: device.jurisdictionCode,
      lon: device.point[0],
      lat: device.point[1],
      severity: rule.row.severity,
      status: 'active',
      message: message.slice(0, 1000),
      evidence,
      raised_at: firedAt,
      acknowledged_at: null,
      acknowledged_by: null,
      cleared_at: null,
    };
  }

  private async insert(tx: Tx, row: AlertRow, device: DeviceInfo): Promise<void> {
    await this.store.insertAlert(tx, row);
    await this.ctx.outbox.add(tx, 'operations.alert.raised', {
      v: 1,
      alertId: row.id,
      ruleId: row.rule_id,
      severity: row.severity,
      subjectType: 'device',
      subjectId: device.id,
      deviceType: device.type.row.code,
      jurisdictionCode: row.jurisdiction_code,
      point: device.point,
      message: row.message,
      raisedAt: row.raised_at,
    });
  }

  /** Clears an open alert (from active or acknowledged); false when it was already cleared. */
  async clear(alert: { id: string; rule_id: string; subject_id: string; jurisdiction_code: string }): Promise<boolean> {
    const now = this.ctx.clock.now();
    return this.ctx.transaction(async (tx) => {
      if (!(await this.store.setAlert(tx, alert.id, ['active', 'acknowledged'], { status: 'cleared', cleared_at: now }))) return false;
      await this.ctx.outbox.add(tx, 'operations.alert.cleared', { v: 1, alertId: alert.id, ruleId: alert.rule_id, subjectId: alert.subject_id, jurisdictionCode: alert.jurisdiction_code, clearedAt: now });
      return true;
    });
  }

  async acknowledge(p: Principal | null, id: string): Promise<AlertView> {
    const alert = await this.readable(p, id);
    authorize(p, 'alert.acknowledge', { jurisdictionCode: alert.jurisdiction_code });
    if (alert.status !== 'active') throw new AppError('CONFLICT', `Alert ${id} is ${alert.status}, not active`, 'status');
    const now = this.ctx.clock.now();
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.setAlert(tx, id, ['active'], { status: 'acknowledged', acknowledged_at: now, acknowledged_by: p.accountId }))) throw new AppError('CONFLICT', `Alert ${id} changed meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, actorKind: 'account', action: 'operations.alert.acknowledged', subjectType: 'alert', subjectId: id, jurisdictionCode: alert.jurisdiction_code, detail: { ruleId: alert.rule_id } });
      await this.ctx.outbox.add(tx, 'operations.alert.acknowledged', { v: 1, alertId: id, by: p.accountId, at: now });
    });
    return this.view({ ...alert, status: 'acknowledged', acknowledged_at: now, acknowledged_by: p.accountId });
  }

  async get(p: Principal | null, id: string): Promise<AlertView> {
    return this.view(await this.readable(p, id));
  }

  async list(p: Principal | null, q: { status?: 'open' | AlertStatus; severity?: string; limit?: number; cursor?: string }): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { items: [], nextCursor: null };
    const limit = q.limit ?? 100;
    const before = q.cursor ? (([at, id]) => ({ at: Number(at), id: String(id) }))(decodeCursor(q.cursor, 'ns')) : undefined;
    const rows = await this.store.alerts(this.ctx.db, f.prefix, { status: q.status, severity: q.severity, before }, limit);
    const last = rows.at(-1);
    return { items: rows.map((r) => this.view(r)), nextCursor: rows.length === limit && last ? encodeCursor([Number(last.raised_at), last.id]) : null };
  }

  openAlertFor(ruleId: string, subjectId: string): Promise<AlertRow | undefined> {
    return this.store.openAlertFor(this.ctx.db, ruleId, subjectId);
  }

  openAlerts(): Promise<AlertRow[]> {
    return this.store.openAlerts(this.ctx.db);
  }

  private async readable(p: Principal | null, id: string): Promise<AlertRow> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    const row = id.length <= 40 ? await this.store.getAlert(this.ctx.db, id) : undefined;
    if (!row || f.kind !== 'scope' || !row.jurisdiction_code.startsWith(f.prefix)) throw new AppError('NOT_FOUND', `No alert ${id} in your jurisdiction`);
    return row;
  }

  private view(r: AlertRow): AlertView {
    return {
      id: r.id,
      ruleId: r.rule_id,
      ruleName: r.rule_id,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      jurisdictionCode: r.jurisdiction_code,
      point: [Number(r.lon), Number(r.lat)],
      severity: r.severity,
      status: r.status,
      message: r.message,
      evidence: fromJson(r.evidence),
      raisedAt: Number(r.raised_at),
      acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
      acknowledgedBy: r.acknowledged_by,
      clearedAt: r.cleared_at === null ? null : Number(r.cleared_at),
    };
  }
}

/** A second open alert for one rule and device, refused by the database's unique index. */
const isDuplicate = (err: unknown) => /unique|duplicate/i.test(String((err as Error)?.message));

import type { EventMap } from '../../platform/bus/events.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Severity } from './categories.ts';
import type { CaseService } from './case.service.ts';

/** Alert severities as case severities: a critical alert is 特急, a high one 紧急. */
const SEVERITY: Record<string, Severity> = { critical: 'critical', high: 'urgent' };
const STATUS_ZH: Record<string, string> = { damaged: '破损', missing: '丢失' };

/**
 * Cases that open themselves: an alert raised by a rule or an AI detection, and a component that an
 * inspection found damaged or missing. Both are trusted sources, so they are dispatched at once.
 */
export class AutomaticIntake {
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  async fromAlert(e: EventMap['operations.alert.raised']): Promise<void> {
    const category = this.cases.catalogue.forRule(e.ruleId);
    await this.cases.open({
      source: 'alert',
      category,
      severity: SEVERITY[e.severity] ?? (category.urgent ? 'urgent' : 'normal'),
      description: e.message || category.nameZh,
      point: e.point,
      alertId: e.alertId,
    });
  }

  async fromComponent(e: EventMap['components.component.changed']): Promise<void> {
    if (e.action !== 'updated' || !e.status || !STATUS_ZH[e.status] || e.previousStatus === e.status) return;
    const box = e.bboxes.at(-1);
    if (!box) return;
    if (await this.cases.store.openByComponent(this.ctx.db, e.code)) return; // already being dealt with
    const category = this.cases.catalogue.forComponentType(e.type);
    const reporter = e.by ? await this.ctx.services.accounts.find(e.by) : null;
    await this.cases.open({
      source: 'inspection',
      category,
      severity: category.urgent ? 'urgent' : 'normal',
      description: `巡查发现部件 ${e.code} ${STATUS_ZH[e.status]}`,
      point: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
      componentCode: e.code,
      keeper: e.maintainerDept ?? null,
      reporter: reporter ? { id: reporter.id, name: reporter.displayName } : undefined,
    });
  }
}

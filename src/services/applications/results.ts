import { shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ItemDetail } from '../catalogue/catalogue.schema.ts';
import type { ApplicationRow } from './application.schema.ts';
import type { ApplicationService } from './application.service.ts';

/**
 * A licence valid for `years` runs to the end of the day before the same date `years` later, in
 * Shanghai (issued 2026-11-29 for five years: valid until 2031-11-28 23:59:59).
 */
export function validUntil(issuedAt: number, years: number): number {
  const [y, m, d] = shanghaiDate(issuedAt).split('-').map(Number) as [number, number, number];
  // Midnight Shanghai of the anniversary, less one millisecond; 29 February rolls to 1 March.
  return Date.UTC(y + years, m - 1, d) - 8 * 3600_000 - 1;
}
/** Licences without a stated validity run five years (食品经营许可证 and most others); other results do not expire. */
const DEFAULT_LICENCE_YEARS = 5;

/**
 * Records the result of a decision for the applicant (办理结果): a licence for an approved licensing
 * item, a document (证明, 登记, 备案回执) for other approved items, a written denial (不予许可决定书)
 * for a denial. Numbered per item and day. Issue 7 turns licences into verifiable credentials.
 */
export async function issueResult(tx: Tx, apps: ApplicationService, row: ApplicationRow, item: ItemDetail, outcome: 'approve' | 'deny', now: number, validYears?: number): Promise<string> {
  const day = shanghaiDate(now).replaceAll('-', '');
  const prefix = item.code.split('-').slice(1).join('');
  const n = await apps.store.nextNumber(tx, `R${day}`);
  const id = `${prefix}${day}${String(n).padStart(6, '0')}`;
  const licence = outcome === 'approve' && item.kind === 'licensing';
  const kind = outcome === 'deny' ? 'denial' : licence ? 'licence' : 'document';
  const years = licence ? (validYears ?? DEFAULT_LICENCE_YEARS) : validYears;
  const [titleZh, titleEn] =
    kind === 'denial' ? [`不予许可决定书（${item.nameZh}）`, `Decision to refuse: ${item.nameEn}`]
    : kind === 'licence' ? [`准予许可决定书（${item.nameZh}）`, `Licence granted: ${item.nameEn}`]
    : [`办理结果（${item.nameZh}）`, `Result: ${item.nameEn}`];
  await apps.store.insertResult(tx, {
    id,
    application_id: row.id,
    holder_id: row.applicant_id,
    item_code: item.code,
    kind,
    title_zh: titleZh,
    title_en: titleEn,
    department_code: row.department_code ?? item.sector,
    issued_at: now,
    valid_until: years ? validUntil(now, years) : null,
    detail: { applicant: row.applicant_name, departmentName: apps.departmentName(row.department_code) },
  });
  return id;
}

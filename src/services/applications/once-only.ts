import type { AppContext } from '../../platform/context.ts';
import type { ItemMaterial } from './application.service.ts';

/** What the exchange supplied for one material (the exchange module's HeldMaterial, as stored). */
export interface Exchanged {
  resource: string;
  callId: number | null;
  outcome: string;
  number: string | null;
}

/** The part of the exchange and registries services once-only needs (absent when those modules are not composed). */
interface Sharing {
  registries?: { subjectOf(accountId: string): Promise<{ kind: 'person' | 'entity'; id: string } | null> };
  exchange?: {
    fetchHeld(on: { departmentCode: string; applicantId: string; applicantKind: 'person' | 'entity'; subjectId: string; materialId: string; purpose: string; reference: string }): Promise<(Exchanged & { materialId: string }) | null>;
  };
}

/**
 * Once-only (一次都不跑): for each material another department issued, the processing department
 * fetches it through the data exchange (its grant, masking and log apply), so the applicant brings
 * nothing the government already holds. Returns material key → what was supplied or why not; null
 * when there is nothing to fetch or the applicant is not linked to the registries.
 */
export async function fetchHeld(ctx: AppContext, on: { applicantId: string; departmentCode: string; reference: string; itemName: string; materials: ItemMaterial[] }): Promise<Record<string, Exchanged> | null> {
  const { registries, exchange } = ctx.services as unknown as Sharing;
  if (!registries || !exchange) return null;
  const subject = await registries.subjectOf(on.applicantId);
  if (!subject) return null;
  // The calls run together, so their log entries share one group commit instead of one each.
  const held = on.materials.filter((m) => m.source !== 'applicant' && m.source !== 'form');
  const got = await Promise.all(held.map((m) => exchange.fetchHeld({
    departmentCode: on.departmentCode, applicantId: on.applicantId, applicantKind: subject.kind, subjectId: subject.id, materialId: m.key,
    purpose: `办理“${on.itemName}”调取${m.nameZh}（申请人授权）`.slice(0, 200), reference: on.reference,
  })));
  const out: Record<string, Exchanged> = {};
  held.forEach((m, i) => {
    const g = got[i];
    if (g) out[m.key] = { resource: g.resource, callId: g.callId, outcome: g.outcome, number: g.number };
  });
  return Object.keys(out).length ? out : null;
}

import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/access.ts';
import type { GrantService } from './grant.service.ts';

/**
 * The demo city's standing grants for once-only (一网通办 materials fetched instead of uploaded):
 * each service bureau may read the identity cards (公安) and business licences (市场监管) of the
 * people and companies that apply to it, for a year. Asked and granted through the service, so
 * each carries its purpose, legal basis, audit entries and messages like any other.
 */
const STANDING: Array<{ resource: string; owner: string; requesters: string[]; fields: string[]; purpose: string; basis: string }> = [
  {
    resource: 'ZZ-0004', owner: 'ga', requesters: ['scjg', 'xf', 'sw', 'lhsr', 'wjw', 'rs', 'mz', 'jtw', 'zjw', 'fg', 'tax', 'ybj', 'gjj', 'jyw'],
    fields: ['number', 'holderName', 'validUntil', 'status'], purpose: '一网通办：经申请人授权，调取居民身份证电子证照，免于提交身份证件', basis: '《优化营商环境条例》第三十七条；《上海市公共数据开放与共享管理办法》',
  },
  {
    resource: 'ZZ-0001', owner: 'scjg', requesters: ['xf', 'sw', 'lhsr', 'tax', 'rs', 'zjw', 'fg', 'gjj'],
    fields: ['number', 'holderName', 'validUntil', 'status'], purpose: '一网通办：经申请人授权，调取营业执照电子证照，免于提交营业执照', basis: '《优化营商环境条例》第三十七条；《上海市公共数据开放与共享管理办法》',
  },
];

/** Seeds the standing grants once (a bureau that already holds a grant for a resource is skipped). */
export async function seedDemoGrants(ctx: AppContext, grants: GrantService): Promise<number> {
  const [admin] = await ctx.services.accounts.findByUsernames(['admin']);
  if (!admin) return 0;
  const as = (departmentCode: string): Principal => ({ accountId: admin.id, username: admin.username, displayName: admin.displayName, roles: ['staff'], departmentCode, scopeCode: '310000', via: 'session' });
  let n = 0;
  for (const s of STANDING) {
    for (const requester of s.requesters) {
      if ((await grants.store.grants(ctx.db, [requester], s.resource)).length) continue;
      const req = await grants.request(as(requester), { resourceCode: s.resource, purpose: s.purpose, legalBasis: s.basis, fields: s.fields, subjectScope: { kind: 'all' }, days: 365 });
      await grants.decide(as(s.owner), req.id, { decision: 'grant', note: '一网通办材料免交，常设授权' });
      n++;
    }
  }
  return n;
}

import type { Module } from '../platform/module.ts';
import { m0001 } from './migrations/0001_init.ts';
import { JurisdictionStore } from './jurisdiction.store.ts';
import { JurisdictionService } from './jurisdiction.service.ts';
import { jurisdictionRoutes } from './jurisdiction.routes.ts';
import { buildShanghaiTreeCached } from './build-tree.ts';

export type { JurisdictionNode, TreeNode } from './jurisdiction.schema.ts';
export type { JurisdictionService } from './jurisdiction.service.ts';
export { SHANGHAI_CODE } from './divisions.ts';

declare module '../platform/context.ts' {
  interface Services {
    jurisdictions: JurisdictionService;
  }
}

/** Shanghai's division tree: the spine every record's jurisdiction and every account's scope refer to. */
export const jurisdictionsModule: Module = {
  name: 'jurisdictions',
  migrations: [m0001],
  async init(ctx) {
    const svc = new JurisdictionService(new JurisdictionStore(ctx.db, ctx.dialect), ctx.log);
    ctx.services.jurisdictions = svc;
  },
  routes(app, ctx) {
    jurisdictionRoutes(app, ctx.services.jurisdictions);
  },
  async start(ctx) {
    // The tree is loaded on start (after migrations); an empty database simply has an empty tree.
    await ctx.services.jurisdictions.load().catch((err) => ctx.log.error({ err }, 'could not load the jurisdiction tree'));
    ctx.services.jurisdictions.warm();
  },
  async seed(ctx, { progress }) {
    const svc = ctx.services.jurisdictions;
    // A started server has the tree in memory already; a CLI seed reads it once (org's seed needs it).
    if (svc.size() === 0) await svc.load();
    if (svc.size() > 0) {
      progress('jurisdictions (already loaded)', svc.size(), svc.size());
      return;
    }
    const stageLabel = { streets: 'generating street shapes', committees: 'generating committee shapes', grids: 'generating grid cells' } as const;
    const tree = buildShanghaiTreeCached({ onProgress: (p) => progress(stageLabel[p.stage], p.done, p.total) });
    await svc.replace(tree, (done) => progress('writing jurisdictions', done, tree.length));
  },
};

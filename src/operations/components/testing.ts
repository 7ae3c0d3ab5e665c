import type { AppContext } from '../../platform/context.ts';
import type { Dialect } from '../../platform/db/database.ts';
import type { Module } from '../../platform/module.ts';
import { platformModule } from '../../platform/index.ts';
import { jurisdictionsModule } from '../../jurisdictions/index.ts';
import { orgModule } from '../../org/index.ts';
import { DEMO_PASSWORD } from '../../org/demo-accounts.ts';
import { ensureJurisdictions, login, testClock, type TestClock } from '../../org/testing.ts';
import { startTestYiwang, type TestYiwang } from '../../platform/testing.ts';
import type { CreateBody } from './component.schema.ts';
import { componentsModule } from './index.ts';

export { XSS } from '../../org/testing.ts';

/** The modules component tests compose: platform, jurisdictions, org (real accounts) and components. */
export const COMPONENT_TEST_MODULES: Module[] = [platformModule, jurisdictionsModule, orgModule, componentsModule];

/**
 * Points inside the demo accounts' streets (陆家嘴 310115005, 外滩 310101013). Street areas below
 * district level are synthetic, so the points are found in the tree, not typed in: filled in by
 * `startComponentsYiwang` (a committee's centre that locates into the street).
 */
export const PLACES = { lujiazui: [0, 0] as [number, number], waitan: [0, 0] as [number, number] };

/** A point that locates inside `code`: the centre of its first child that does, or its own. */
export function pointIn(ctx: AppContext, code: string): [number, number] {
  const j = ctx.services.jurisdictions;
  for (const n of [j.require(code), ...j.children(code)]) {
    const hit = j.locate(n.centroid[0], n.centroid[1]);
    if (hit?.code.startsWith(code)) return [Math.round(n.centroid[0] * 1e7) / 1e7, Math.round(n.centroid[1] * 1e7) / 1e7];
  }
  throw new Error(`no point found inside ${code}`);
}

export type ComponentsYiwang = TestYiwang & { clock: TestClock; as: Record<string, { cookie: string }> };

/**
 * A test Yiwang with jurisdictions, departments, the demo accounts (signed in: `y.as['lujiazui.operator']`)
 * and the component types seeded. Modules that build on components (the map) are added by passing
 * `modules`.
 */
export async function startComponentsYiwang(dialect: Dialect, users: string[] = [], modules: Module[] = COMPONENT_TEST_MODULES): Promise<ComponentsYiwang> {
  const clock = testClock();
  const y = await startTestYiwang(dialect, { clock, modules });
  try {
    await ensureJurisdictions(y.ctx);
    await orgModule.seed!(y.ctx, { demo: true, progress: () => {} });
    await componentsModule.seed!(y.ctx, { demo: false, progress: () => {} });
    PLACES.lujiazui = pointIn(y.ctx, '310115005');
    PLACES.waitan = pointIn(y.ctx, '310101013');
    const as: Record<string, { cookie: string }> = {};
    for (const u of users) as[u] = await login(y.app, u, DEMO_PASSWORD);
    return { ...y, clock, as };
  } catch (err) {
    await y.close();
    throw err;
  }
}

let serial = 0;
/** A manhole cover (上水井盖 0101) at a point, with a name carrying script (it must show as text). */
export function makeComponent(over: Partial<CreateBody> & { at?: [number, number] } = {}): CreateBody {
  const { at, ...rest } = over;
  serial++;
  return {
    type: '0101',
    geometry: { type: 'Point', coordinates: at ?? PLACES.lujiazui },
    name: `<script>alert(1)</script> 井盖 ${serial}`,
    attributes: { material: '球墨铸铁', shape: '圆形', diameter_mm: 700 },
    ...rest,
  };
}

import type { AppContext } from '../../platform/context.ts';
import type { Progress } from '../../platform/module.ts';
import { DEMO_CITY_SEED, demoRoads } from '../../platform/geo/demo-city.ts';
import { generateRegistries, type StreetInput } from './generate.ts';
import type { RegistryService } from './registry.service.ts';

/** The demo city's resident and company, bound to the `citizen` and `enterprise` demo accounts. */
export const DEMO_PERSON = { name: '张伟', sex: 'M' as const, birthDate: '1988-05-17' };
export const DEMO_COMPANY = { name: '上海申味餐饮管理有限公司' };

/**
 * Streets with the roads that cross them: each district's generated road network (the same one the
 * base map draws) is cut into the runs of vertices that fall in each street.
 */
export function streetsWithRoads(ctx: AppContext): StreetInput[] {
  const j = ctx.services.jurisdictions;
  const out = new Map<string, StreetInput>();
  for (const district of j.children('310000')) {
    for (const s of j.children(district.code)) {
      if (s.level === 'street') out.set(s.code, { code: s.code, name: s.name, districtCode: district.code, districtName: district.name, roads: [] });
    }
    for (const road of demoRoads(district.code, j.geometry(district.code))) {
      let run: [number, number][] = [];
      let runStreet: string | null = null;
      const close = () => {
        if (runStreet && run.length >= 2) out.get(runStreet)?.roads.push({ nameZh: road.nameZh, nameEn: road.nameEn, line: run });
        run = [];
      };
      for (const pt of road.line) {
        const street = j.locate(pt[0], pt[1])?.code.slice(0, 9) ?? null;
        if (street !== runStreet) {
          close();
          runStreet = street;
        }
        run.push(pt);
      }
      close();
    }
  }
  return [...out.values()].filter((s) => s.roads.length > 0);
}

/**
 * Generates the demo registries (reproducibly: the same seed and scale give the same people) and
 * binds the demo accounts to their resident and company.
 */
export async function seedDemoRegistries(ctx: AppContext, svc: RegistryService, scale: number, progress: Progress): Promise<number> {
  const persons = Math.max(300, Math.round(20_000 * scale));
  const regs = generateRegistries({
    seed: DEMO_CITY_SEED,
    persons,
    entities: Math.max(60, Math.round(persons / 5)),
    streets: streetsWithRoads(ctx),
    locate: (lon, lat) => ctx.services.jurisdictions.locate(lon, lat)?.code ?? null,
    fixed: { persons: [DEMO_PERSON], entities: [DEMO_COMPANY] },
  });
  const rec = regs.records;
  const records = rec ? rec.insurance.length + rec.incomeTax.length + rec.entityTax.length + rec.fund.length + rec.properties.length + rec.penalties.length + rec.criminal.length : 0;
  const total = regs.addresses.length + regs.persons.length + regs.families.length + regs.entities.length + regs.licences.length + records;
  const n = await svc.load(regs, (done) => progress('base registries (rows)', done, total));
  const accounts = new Map((await ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
  const person = regs.persons.find((p) => p.name === DEMO_PERSON.name && p.birthDate === DEMO_PERSON.birthDate);
  const company = regs.entities.find((e) => e.name === DEMO_COMPANY.name);
  if (person && accounts.has('citizen')) await svc.bind(accounts.get('citizen')!, 'person', person.idNumber);
  if (company && accounts.has('enterprise')) await svc.bind(accounts.get('enterprise')!, 'entity', company.uscc);
  return n;
}

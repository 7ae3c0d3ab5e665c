import type { AppContext } from '../platform/context.ts';

/** What the org module needs to know about a jurisdiction (a subset of the jurisdictions module's node). */
export interface JurisdictionInfo {
  code: string;
  name: string;
  nameEn: string;
  level: 'city' | 'district' | 'street' | 'committee' | 'grid';
  kind: string;
  parentCode: string | null;
  special: boolean;
}

/** The part of `ctx.services.jurisdictions` the org module uses (sync or async, so fakes are easy). */
export interface JurisdictionSource {
  get(code: string): JurisdictionInfo | null | Promise<JurisdictionInfo | null>;
  children(code: string): JurisdictionInfo[] | Promise<JurisdictionInfo[]>;
}

export interface JurisdictionLookup {
  get(code: string): Promise<JurisdictionInfo | null>;
  children(code: string): Promise<JurisdictionInfo[]>;
  /** Names for many codes at once (for lists of accounts). */
  names(codes: Iterable<string>): Promise<Map<string, string>>;
}

/**
 * Asks the live jurisdictions service (`ctx.services.jurisdictions`, composed before org) and
 * nothing else: a scope or department is valid only if the tree the rest of the system uses knows
 * it. The service is looked up at each call, so a tree reloaded after seeding is seen at once.
 */
export function jurisdictionLookup(ctx: Pick<AppContext, 'services'>): JurisdictionLookup {
  const service = (): JurisdictionSource => {
    const s = (ctx.services as { jurisdictions?: JurisdictionSource }).jurisdictions;
    if (!s) throw new Error('org: no jurisdictions service; compose jurisdictionsModule before orgModule (see src/modules.ts)');
    return s;
  };
  const get = async (code: string) => (await service().get(code)) ?? null;
  return {
    get,
    async children(code) {
      return [...(await service().children(code))];
    },
    async names(codes) {
      const out = new Map<string, string>();
      for (const code of new Set(codes)) {
        const n = await get(code);
        if (n) out.set(code, n.name);
      }
      return out;
    },
  };
}

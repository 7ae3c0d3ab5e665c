import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** Looks up jurisdictions by code; the answers may come from memory, so both calls may be sync or async. */
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

interface DivisionRow {
  code: string;
  name: string;
  nameEn: string;
  parent: string | null;
  level: JurisdictionInfo['level'];
  kind: string;
  special: boolean;
}

/** The committed division file, read once, for when the jurisdictions module is absent or unseeded. */
export class DivisionFileSource implements JurisdictionSource {
  private nodes: Map<string, JurisdictionInfo> | null = null;
  private kids = new Map<string, JurisdictionInfo[]>();

  constructor(private readonly file = fileURLToPath(new URL('../../data/divisions/shanghai-divisions.json', import.meta.url))) {}

  private load(): Map<string, JurisdictionInfo> {
    if (this.nodes) return this.nodes;
    const rows = JSON.parse(readFileSync(this.file, 'utf8')) as DivisionRow[];
    const nodes = new Map<string, JurisdictionInfo>();
    for (const r of rows) {
      const node: JurisdictionInfo = { code: r.code, name: r.name, nameEn: r.nameEn, level: r.level, kind: r.kind, parentCode: r.parent, special: r.special };
      nodes.set(r.code, node);
      if (r.parent) {
        const list = this.kids.get(r.parent);
        if (list) list.push(node);
        else this.kids.set(r.parent, [node]);
      }
    }
    this.nodes = nodes;
    return nodes;
  }

  get(code: string): JurisdictionInfo | null {
    return this.load().get(code) ?? null;
  }

  children(code: string): JurisdictionInfo[] {
    this.load();
    return [...(this.kids.get(code) ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  }
}

const fileSource = new DivisionFileSource();

/**
 * Asks `ctx.services.jurisdictions` when that module is present (it also knows grid cells), and
 * the committed division file for anything it does not know — so the org module works, and its
 * seed runs, whether or not the jurisdictions module is composed in or seeded yet.
 */
export function jurisdictionLookup(ctx: Pick<AppContext, 'services'>, fallback: JurisdictionSource = fileSource): JurisdictionLookup {
  const service = () => (ctx.services as { jurisdictions?: JurisdictionSource }).jurisdictions ?? null;
  const get = async (code: string) => {
    const s = service();
    const found = s ? await s.get(code) : null;
    return found ?? (await fallback.get(code));
  };
  return {
    get,
    async children(code) {
      const s = service();
      const found = s ? await s.children(code) : [];
      return found.length > 0 ? found : await fallback.children(code);
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

import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { LEVEL_DEPTH } from './divisions.ts';
import { LocateIndex } from './geo/locate-index.ts';
import type { MultiPolygon } from './geo/polygon.ts';
import type { JurisdictionNode, NodeWithGeometry, TreeNode } from './jurisdiction.schema.ts';
import type { JurisdictionStore } from './jurisdiction.store.ts';

/**
 * The jurisdiction tree, held in memory: it is small (tens of thousands of nodes), read on nearly
 * every request (scopes, breadcrumbs) and `locate()` runs for every report and sensor alert, so a
 * database round trip per call would be the bottleneck. It is reference data: it changes only when
 * the seed loads a new division set, after which `load()` refreshes it.
 */
export class JurisdictionService {
  private nodes = new Map<string, JurisdictionNode>();
  private kids = new Map<string, string[]>();
  private shapes = new Map<string, MultiPolygon>();
  private index: LocateIndex | null = null;
  private extents = new Map<string, [number, number, number, number]>();

  constructor(
    private readonly store: JurisdictionStore,
    private readonly log: Logger,
  ) {}

  /** Reads the tree from the database into memory (at start and after seeding). */
  async load(): Promise<number> {
    this.setTree(await this.store.loadAll());
    return this.nodes.size;
  }

  /** Builds the locate index now rather than on the first lookup (which would then take ~0.1 s). */
  warm(): void {
    if (!this.index && this.nodes.size > 0) this.index = this.buildIndex();
  }

  /** Replaces the stored tree and reloads it; used by the seed. */
  async replace(tree: NodeWithGeometry[], onProgress: (done: number) => void): Promise<void> {
    await this.store.replaceAll(tree, onProgress);
    this.setTree(tree);
  }

  private setTree(all: NodeWithGeometry[]): void {
    const nodes = new Map<string, JurisdictionNode>();
    const kids = new Map<string, string[]>();
    const shapes = new Map<string, MultiPolygon>();
    for (const n of all) {
      const { geometry, ...rest } = n;
      nodes.set(n.code, { ...rest, childCount: 0 });
      shapes.set(n.code, geometry);
      if (n.parentCode) {
        const list = kids.get(n.parentCode);
        if (list) list.push(n.code);
        else kids.set(n.parentCode, [n.code]);
      }
    }
    for (const [parent, list] of kids) {
      list.sort();
      const p = nodes.get(parent);
      if (p) p.childCount = list.length;
    }
    this.nodes = nodes;
    this.kids = kids;
    this.shapes = shapes;
    this.index = null; // rebuilt on the next locate()
    this.extents = new Map();
    this.log.debug({ nodes: nodes.size }, 'jurisdiction tree loaded');
  }

  size(): number {
    return this.nodes.size;
  }

  /** The node with this code, or null. */
  get(code: string): JurisdictionNode | null {
    return this.nodes.get(code) ?? null;
  }

  /** The node with this code, or a 404 JURISDICTION_NOT_FOUND. */
  require(code: string): JurisdictionNode {
    const n = this.nodes.get(code);
    if (!n) throw new AppError('JURISDICTION_NOT_FOUND', `No jurisdiction with code ${code}`, 'code');
    return n;
  }

  children(code: string): JurisdictionNode[] {
    return (this.kids.get(code) ?? []).map((c) => this.nodes.get(c)!);
  }

  /**
   * The box holding the node and everything under it [minLon, minLat, maxLon, maxLat], or null for
   * an unknown code. Every point `locate` places under the node lies inside it, so a spatial query
   * narrowed to the node's components may skip whatever lies wholly outside.
   */
  extent(code: string): [number, number, number, number] | null {
    const known = this.extents.get(code);
    if (known) return known;
    const n = this.nodes.get(code);
    if (!n) return null;
    const box: [number, number, number, number] = [...n.bbox];
    for (const kid of this.kids.get(code) ?? []) {
      const k = this.extent(kid)!;
      box[0] = Math.min(box[0], k[0]);
      box[1] = Math.min(box[1], k[1]);
      box[2] = Math.max(box[2], k[2]);
      box[3] = Math.max(box[3], k[3]);
    }
    this.extents.set(code, box);
    return box;
  }

  /** Ancestors from the city down to the parent of `code`. */
  ancestors(code: string): JurisdictionNode[] {
    const out: JurisdictionNode[] = [];
    let n = this.nodes.get(code);
    while (n?.parentCode) {
      n = this.nodes.get(n.parentCode);
      if (n) out.unshift(n);
    }
    return out;
  }

  /** The subtree under `root`, `depth` levels deep (0 = the node alone). */
  tree(root: string, depth: number): TreeNode {
    const build = (code: string, d: number): TreeNode => {
      const node: TreeNode = { ...this.require(code) };
      if (d > 0) node.children = (this.kids.get(code) ?? []).map((c) => build(c, d - 1));
      return node;
    };
    return build(root, depth);
  }

  /** The deepest node containing the point (a grid cell inside Shanghai), or null outside. */
  locate(lon: number, lat: number): JurisdictionNode | null {
    if (!this.index) this.index = this.buildIndex();
    const code = this.index.locate(lon, lat);
    return code ? (this.nodes.get(code) ?? null) : null;
  }

  private buildIndex(): LocateIndex {
    return new LocateIndex(this.leaves());
  }

  /** The areas `locate` answers with (those without children) and their shapes, e.g. to locate in a worker thread. */
  leaves(): Array<{ code: string; geometry: MultiPolygon }> {
    const leaves: { code: string; geometry: MultiPolygon }[] = [];
    for (const [code, geometry] of this.shapes) if (!this.kids.has(code)) leaves.push({ code, geometry });
    return leaves;
  }

  /** Nodes whose Chinese or English name contains `q`, shallow levels first. */
  search(q: string, level: string | undefined, limit: number): JurisdictionNode[] {
    const text = q.trim();
    const needle = text.toLowerCase();
    const out: JurisdictionNode[] = [];
    for (const n of this.nodes.values()) {
      if (level && n.level !== level) continue;
      if (n.name.includes(text) || n.nameEn.toLowerCase().includes(needle) || n.code === needle) out.push(n);
    }
    return out.sort((a, b) => LEVEL_DEPTH[a.level] - LEVEL_DEPTH[b.level] || a.code.localeCompare(b.code)).slice(0, limit);
  }

  geometry(code: string): MultiPolygon {
    this.require(code);
    return this.shapes.get(code)!;
  }
}

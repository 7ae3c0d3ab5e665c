// The signed-in account's scope node (for its English name and its counts), fetched once per code.
import * as jurisdictions from '../api/jurisdictions.ts';
import type { JurisdictionDetail, JurisdictionNode, TreeNode } from '../api/types.ts';
import { useAsync, type AsyncState } from './useAsync.ts';

const cache = new Map<string, Promise<JurisdictionDetail>>();

/** Loads a jurisdiction's detail, sharing one request between every component that asks. */
export function cachedDetail(code: string): Promise<JurisdictionDetail> {
  let p = cache.get(code);
  if (!p) {
    p = jurisdictions.detail(code);
    cache.set(code, p);
    p.catch(() => cache.delete(code));
  }
  return p;
}

export function useScopeDetail(code: string | null | undefined): AsyncState<JurisdictionDetail | null> {
  return useAsync(async () => (code ? cachedDetail(code) : null), [code]);
}

let cityIndex: Promise<Map<string, JurisdictionNode>> | null = null;

/** Names of the city, its districts and streets (two levels of the tree), fetched once. */
export function usePlaceIndex(): Map<string, JurisdictionNode> | undefined {
  return useAsync(() => {
    if (!cityIndex) {
      cityIndex = jurisdictions.tree(null, 2).then((root) => {
        const map = new Map<string, JurisdictionNode>();
        const walk = (n: TreeNode) => {
          map.set(n.code, n);
          n.children?.forEach(walk);
        };
        walk(root);
        return map;
      });
      cityIndex.catch(() => (cityIndex = null));
    }
    return cityIndex;
  }, []).data;
}

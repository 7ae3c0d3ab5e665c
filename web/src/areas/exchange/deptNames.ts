// Department names by code for the exchange screens. The server names departments in Chinese only
// (ownerName, requesterName, departmentName) or by code (licence issuers); the department directory
// has both languages. Looked up once per code per page load.
import { useEffect, useState } from 'react';
import { one } from '../../api/departments.ts';
import type { Department } from '../../api/types.ts';

const cache = new Map<string, Promise<Department | null>>();

function lookup(code: string): Promise<Department | null> {
  let p = cache.get(code);
  if (!p) {
    p = one(code).catch(() => null);
    cache.set(code, p);
  }
  return p;
}

/** The departments of these codes, as they arrive (codes the directory does not know stay out). */
export function useDepartments(codes: ReadonlyArray<string | null | undefined>, enabled = true): ReadonlyMap<string, Department> {
  const key = [...new Set(codes.filter((c): c is string => !!c))].sort().join('|');
  const [found, setFound] = useState<ReadonlyMap<string, Department>>(new Map());
  useEffect(() => {
    if (!enabled || !key) return;
    let live = true;
    void Promise.all(key.split('|').map(lookup)).then((list) => {
      if (live) setFound(new Map(list.filter((d): d is Department => !!d).map((d) => [d.code, d])));
    });
    return () => {
      live = false;
    };
  }, [key, enabled]);
  return found;
}

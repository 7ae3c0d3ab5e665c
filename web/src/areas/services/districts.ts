// Shanghai's districts (children of 310000) for the `district` widget, loaded once per page load.
import { useEffect, useState } from 'react';
import { detail } from '../../api/jurisdictions.ts';
import type { JurisdictionNode } from '../../api/types.ts';

export const CITY = '310000';
let cached: Promise<JurisdictionNode[]> | null = null;

function load(): Promise<JurisdictionNode[]> {
  cached ??= detail(CITY).then(
    (d) => d.children.filter((c) => c.level === 'district'),
    (err) => {
      cached = null;
      throw err;
    },
  );
  return cached;
}

/** The districts, or null while loading (or when they could not be loaded). */
export function useDistricts(): JurisdictionNode[] | null {
  const [list, setList] = useState<JurisdictionNode[] | null>(null);
  useEffect(() => {
    let on = true;
    load().then(
      (l) => on && setList(l),
      () => on && setList(null),
    );
    return () => {
      on = false;
    };
  }, []);
  return list;
}

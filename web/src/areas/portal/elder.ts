// Elder mode (长者模式): larger type and higher contrast in the portal, remembered on this device.
import { useCallback, useEffect, useState } from 'react';

const KEY = 'yiwang.elder';

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** The elder-mode flag; while the portal is shown it also sets `html.elder` so rem sizes scale. */
export function useElderMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(stored);
  useEffect(() => {
    document.documentElement.classList.toggle('elder', on);
    return () => document.documentElement.classList.remove('elder');
  }, [on]);
  const set = useCallback((value: boolean) => {
    setOn(value);
    try {
      localStorage.setItem(KEY, value ? '1' : '0');
    } catch {
      // kept for this page only
    }
  }, []);
  return [on, set];
}

// Saving a draft while the applicant types: changes are gathered into one patch and sent ~800 ms
// after the last keystroke, one save at a time (each with the version the previous one returned),
// and whatever is still waiting is sent when the page is left.
import { useCallback, useEffect, useRef, useState } from 'react';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

export interface Autosave<P> {
  status: SaveStatus;
  error: unknown;
  /** Adds to the waiting patch (later keys win) and saves after the delay, or at once. */
  schedule(patch: P, now?: boolean): void;
  /** Sends what is waiting (again, after a failure) and resolves once it is saved; rejects with the failure. */
  flush(): Promise<void>;
}

export function useAutosave<P extends object, V>(save: (patch: P) => Promise<V>, onSaved: (v: V) => void, delay = 800): Autosave<P> {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<unknown>(null);
  const saveRef = useRef(save);
  const savedRef = useRef(onSaved);
  saveRef.current = save;
  savedRef.current = onSaved;
  const queued = useRef<P | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const failure = useRef<unknown>(null);
  const alive = useRef(true);

  const run = useCallback((): Promise<void> => {
    if (running.current) return running.current;
    const loop = async () => {
      while (queued.current) {
        const patch = queued.current;
        queued.current = null;
        if (alive.current) setStatus('saving');
        try {
          const v = await saveRef.current(patch);
          failure.current = null;
          if (alive.current) {
            savedRef.current(v);
            setError(null);
          }
        } catch (err) {
          // Kept to be sent again (under anything newer) by the next change or flush.
          queued.current = { ...patch, ...(queued.current ?? {}) } as P;
          failure.current = err;
          if (alive.current) {
            setError(err);
            setStatus('error');
          }
          return;
        }
      }
      if (alive.current) setStatus('saved');
    };
    running.current = loop().finally(() => {
      running.current = null;
    });
    return running.current;
  }, []);

  const schedule = useCallback(
    (patch: P, now = false) => {
      queued.current = { ...(queued.current ?? {}), ...patch } as P;
      setStatus('pending');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(
        () => {
          timer.current = null;
          void run();
        },
        now ? 0 : delay,
      );
    },
    [delay, run],
  );

  const flush = useCallback(async () => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (running.current) await running.current;
    if (queued.current) await run();
    if (failure.current) throw failure.current;
  }, [run]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
      if (queued.current) void run().catch(() => {});
    };
  }, [run]);

  return { status, error, schedule, flush };
}

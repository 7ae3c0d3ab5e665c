import { Worker, workerData } from 'node:worker_threads';

const BOOT = new URL('./boot.mjs', import.meta.url);

/**
 * Starts a worker thread running a TypeScript module (`entry`, a file URL); the module reads its
 * input with `workerInput()`. Starting one costs ~0.3 s (a fresh V8 isolate loading its modules), so
 * workers are for long jobs.
 */
export function startWorker(entry: URL, input: unknown): Worker {
  return new Worker(BOOT, { workerData: { entry: entry.href, input } });
}

/** Inside a worker started with `startWorker`: what the starting thread gave it. */
export function workerInput<T>(): T {
  return (workerData as { input: T }).input;
}

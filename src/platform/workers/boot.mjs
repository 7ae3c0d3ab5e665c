// Worker-thread entry for TypeScript workers: a worker does not inherit the loader hooks of the
// process that starts it, so it registers tsx itself before importing the real entry (see run.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);

// The import's check worker (see check-stream.ts): reads the file from the checkpoint, checks the
// records of its share of the parts and posts them, staying at most `input.ahead` parts in front
// of the writes.
import { parentPort } from 'node:worker_threads';
import { LocateIndex } from '../../../jurisdictions/geo/locate-index.ts';
import { workerInput } from '../../../platform/workers/run.ts';
import { TypeRegistry } from '../types.ts';
import { checkHere, FileProblem, workerContext, type WorkerInput, type WorkerMessage } from './check-stream.ts';
import { RowChecker } from './row-check.ts';

const port = parentPort!;
const input = workerInput<WorkerInput>();
const post = (m: WorkerMessage) => port.postMessage(m);

let credit = input.ahead;
let waiting: (() => void) | null = null;
port.on('message', () => {
  credit++;
  waiting?.();
});

try {
  const types = TypeRegistry.fromRows(input.types);
  const index = new LocateIndex(input.leaves);
  const locate = (lon: number, lat: number) => {
    const code = index.locate(lon, lat);
    return code ? { code } : null;
  };
  const checker = new RowChecker(workerContext(input, types, locate));
  for await (const batch of checkHere(input.source, checker, input.share)) {
    while (credit === 0) await new Promise<void>((resolve) => (waiting = resolve));
    waiting = null;
    credit--;
    post({ type: 'batch', batch });
  }
  post({ type: 'end' });
} catch (err) {
  // The job's message is shown to the importer: the reason, not the stack (that goes to stderr, for the log).
  if (!(err instanceof FileProblem)) process.stderr.write(`import check worker: ${(err as Error).stack ?? String(err)}\n`);
  post(err instanceof FileProblem ? { type: 'fileProblem', message: err.message } : { type: 'failed', message: (err as Error).message ?? String(err) });
}
port.unref();

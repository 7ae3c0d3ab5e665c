import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { HttpApp } from '../../../platform/module.ts';
import { ImportIdParam, ImportJobSchema, ImportListSchema, ListImportsQuery, UploadQuery } from './import.schema.ts';
import type { ImportService } from './import.service.ts';

const tags = ['components'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

/** Largest upload: imports are meant for whole districts' registries. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Content types an upload may declare; the format itself is told from the name and content. */
const UPLOAD_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain', 'application/geo+json', 'application/x-ndjson', 'application/geo+json-seq', 'application/json', 'application/octet-stream'];
const EXTENSION: Record<string, string> = { 'text/csv': 'csv', 'text/tab-separated-values': 'tsv', 'application/geo+json': 'geojson', 'application/json': 'geojson', 'application/x-ndjson': 'ndjson', 'application/geo+json-seq': 'ndjson' };

/**
 * The request body, unread. A class with a private field, so that nothing that walks request bodies
 * (the text guard) wanders into the socket behind it.
 */
class RawUpload {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

/** Letters (any script), digits, dot, dash and underscore; the rest becomes `_`. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_').slice(-100);
  return safe || 'upload';
}

function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new AppError('BODY_TOO_LARGE', `An import file may be at most ${max / 1024 ** 3} GiB`, 'file'));
      else cb(null, chunk);
    },
  });
}

/** `attachment` with an ASCII fallback name and the real one (RFC 6266 / 5987). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** /api/components/imports: upload a file (202, runs in the background), follow jobs, fetch refused rows. */
export function importRoutes(app: HttpApp, ctx: AppContext, svc: ImportService): void {
  const running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  // A server going down interrupts its imports at a batch boundary instead of mid-write.
  app.addHook('onClose', async () => {
    for (const r of running.values()) r.abort.abort();
    await Promise.allSettled([...running.values()].map((r) => r.done));
  });

  // Uploads are streamed to disk as they arrive, never held in memory: this context's parser hands
  // the handler the raw request stream.
  app.register(async (scoped) => {
    const upload = scoped as unknown as HttpApp;
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, new RawUpload(payload as Readable)));
    upload.post('/components/imports', {
      schema: {
        tags,
        security,
        summary: 'Import components: send the file (CSV, GeoJSON FeatureCollection or NDJSON, up to 2 GiB) as the body; 202 with the job, which then runs in the background',
        consumes: UPLOAD_TYPES,
        querystring: UploadQuery,
        response: { 202: ImportJobSchema },
      },
    }, async (req, reply) => {
      svc.mayImport(req.principal);
      const body = req.body as unknown;
      if (!(body instanceof RawUpload)) throw new AppError('FIELD_REQUIRED', 'Send the file as the request body', 'file');
      if (Number(req.headers['content-length']) > MAX_UPLOAD_BYTES) throw new AppError('BODY_TOO_LARGE', `An import file may be at most ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB`, 'file');
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const fileName = req.query.fileName?.trim() || `upload.${EXTENSION[type] ?? 'csv'}`;
      const dir = path.join(ctx.config.dataDir, 'imports');
      await fsp.mkdir(dir, { recursive: true });
      const stored = path.join(dir, `${ctx.random.uuid()}-${safeFileName(fileName)}`);
      const remove = () => fsp.rm(stored, { force: true }).catch(() => {});
      try {
        await pipeline(body.stream, limit(MAX_UPLOAD_BYTES), fs.createWriteStream(stored));
      } catch (err) {
        await remove();
        if (err instanceof AppError) throw err;
        throw new AppError('BODY_MALFORMED', `The upload did not arrive whole (${(err as Error).message})`, 'file');
      }
      if ((await fsp.stat(stored)).size === 0) {
        await remove();
        throw new AppError('FIELD_INVALID', `${fileName}: the file is empty`, 'file');
      }
      const abort = new AbortController();
      let started;
      try {
        started = await svc.start(req.principal, stored, { fileName, format: req.query.format, signal: abort.signal, resumeHint: 'upload the file again to import the rest (rows already imported come out unchanged)' });
      } catch (err) {
        await remove();
        throw err;
      }
      const id = started.job.id;
      // The stored copy goes once the job ends, however it ends: an upload is not resumed in place
      // (it would need its copy kept for good), it is uploaded again and the rows already in come out unchanged.
      const done = started.done.then(
        async () => {
          await remove();
        },
        async (err) => {
          if (!(err instanceof AppError)) ctx.log.error({ err, importId: id }, 'import failed');
          await remove();
        },
      );
      running.set(id, { abort, done });
      void done.finally(() => running.delete(id));
      return reply.status(202).send(started.job);
    });
  });

  app.get('/components/imports', {
    schema: { tags, security, summary: 'Import jobs in your jurisdiction, newest first', querystring: ListImportsQuery, response: { 200: ImportListSchema } },
  }, async (req) => svc.list(req.principal, req.query.limit));

  app.get('/components/imports/:id', {
    schema: { tags, security, summary: 'One import job: status, bytes done, counts', params: ImportIdParam, response: { 200: ImportJobSchema } },
  }, async (req) => svc.get(req.principal, req.params.id));

  app.get('/components/imports/:id/errors', {
    schema: { tags, security, summary: 'The refused rows of an import as CSV: line, field, reason, record', params: ImportIdParam },
  }, async (req, reply) => {
    const f = await svc.errorFile(req.principal, req.params.id);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(f.fileName)).header('cache-control', 'no-store');
    return reply.send(fs.createReadStream(f.path));
  });
}

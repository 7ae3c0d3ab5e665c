import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { storableText } from '../../platform/http/text-guard.ts';
import type { FileRow } from './application.schema.ts';
import type { ApplicationStore } from './application.store.ts';

/** Materials are PDFs or scans/photos (JPEG, PNG) up to 10 MiB, recognised by their bytes. */
export const FILE_MAX_BYTES = 10 * 1024 * 1024;
export const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** The type the bytes really are, or null. */
export function sniffFile(b: Buffer): FileType | null {
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/**
 * Uploaded materials: the bytes in the data directory named by their SHA-256 (written to a temporary
 * name, then renamed, so a crash never leaves half a file under a real name), the record — who
 * uploaded it and what they called it — in the database. A file belongs to its uploader: only they
 * attach it, and staff read it only through an application it is attached to.
 */
export class MaterialFiles {
  private readonly dir: string;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: ApplicationStore,
  ) {
    this.dir = path.join(ctx.config.dataDir, 'materials');
  }

  private file(sha: string): string {
    return path.join(this.dir, sha.slice(0, 2), sha);
  }

  async upload(p: Principal | null, body: unknown, contentType: string | undefined, name: string | undefined): Promise<{ id: string; name: string; contentType: FileType; bytes: number }> {
    authorize(p, 'application.apply', UNSCOPED);
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('FIELD_REQUIRED', 'Send the file as the request body', 'file');
    if (body.length > FILE_MAX_BYTES) throw new AppError('BODY_TOO_LARGE', `file is ${body.length} bytes; at most ${FILE_MAX_BYTES} (10 MiB)`, 'file');
    const real = sniffFile(body);
    if (!real) throw new AppError('MATERIAL_TYPE_INVALID', 'file is not a PDF, JPEG or PNG (scan or photograph the document, or save it as PDF)', 'file');
    const said = contentType?.split(';')[0]?.trim().toLowerCase();
    if (said && said !== 'application/octet-stream' && said !== real) throw new AppError('MATERIAL_TYPE_INVALID', `file is ${real} but was sent as ${said}`, 'file');
    const label = storableText(name ?? '').trim().slice(0, 200) || 'material';
    const sha = createHash('sha256').update(body).digest('hex');
    const target = this.file(sha);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${this.ctx.random.uuid()}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, target);
    const row: FileRow = { id: this.ctx.random.uuid(), sha256: sha, content_type: real, bytes: body.length, name: label, owner_id: p.accountId, created_at: this.ctx.clock.now() };
    await this.store.insertFile(this.ctx.db, row);
    return { id: row.id, name: row.name, contentType: real, bytes: row.bytes };
  }

  /** The bytes of a file whose record the caller has already been allowed to see. */
  async read(row: FileRow): Promise<Buffer> {
    try {
      return await fs.readFile(this.file(row.sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `File ${row.id} is recorded but its bytes are missing`);
      throw err;
    }
  }

  /** The uploader reads their own file. */
  async readOwn(p: Principal | null, id: string): Promise<{ row: FileRow; body: Buffer }> {
    authorize(p, 'application.apply', UNSCOPED);
    const [row] = await this.store.files(this.ctx.db, [id]);
    if (!row || row.owner_id !== p.accountId) throw new AppError('NOT_FOUND', `No file ${id.slice(0, 40)}`);
    return { row, body: await this.read(row) };
  }
}

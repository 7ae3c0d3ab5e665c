import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { CaseStore } from './case.store.ts';

/** Evidence photos: JPEG, PNG or WebP up to 8 MiB, recognised by their bytes, not by what the client says. */
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
const EXT: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The image type the bytes really are, or null. */
export function sniffImage(b: Buffer): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Checks an upload; throws PHOTO_INVALID or BODY_TOO_LARGE naming the reason. */
export function checkPhoto(b: Buffer, declared: string | undefined): PhotoType {
  if (b.length > PHOTO_MAX_BYTES) throw new AppError('BODY_TOO_LARGE', `photo is ${b.length} bytes; at most ${PHOTO_MAX_BYTES} (8 MiB)`, 'photo');
  const real = sniffImage(b);
  if (!real) throw new AppError('PHOTO_INVALID', 'photo is not a JPEG, PNG or WebP image', 'photo');
  const said = declared?.split(';')[0]?.trim().toLowerCase();
  // application/octet-stream says "I do not know": the bytes decide.
  if (said && said !== 'application/octet-stream' && said !== real) throw new AppError('PHOTO_INVALID', `photo is ${real} but was sent as ${said}`, 'photo');
  return real;
}

/**
 * Photos in the data directory, named by their SHA-256 so the same photo sent twice is stored once
 * and a name cannot be guessed without the photo. Written to a temporary name, then renamed, so a
 * crash never leaves half a photo under a real name.
 */
export class PhotoFiles {
  constructor(private readonly dir: string) {}

  static idOf(b: Buffer): string {
    return createHash('sha256').update(b).digest('hex');
  }

  private file(id: string, type: PhotoType): string {
    return path.join(this.dir, id.slice(0, 2), `${id}.${EXT[type]}`);
  }

  async save(id: string, type: PhotoType, b: Buffer): Promise<void> {
    const file = this.file(id, type);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, b);
    await fs.rename(tmp, file);
  }

  read(id: string, type: PhotoType): Promise<Buffer> {
    return fs.readFile(this.file(id, type));
  }
}

/** Uploading and reading evidence photos: anyone who may report may upload; anyone signed in may read one by its id. */
export class PhotoService {
  private readonly files: PhotoFiles;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: CaseStore,
  ) {
    this.files = new PhotoFiles(path.join(ctx.config.dataDir, 'photos'));
  }

  async upload(p: Principal | null, body: unknown, contentType: string | undefined): Promise<{ id: string; url: string; contentType: string; bytes: number }> {
    authorize(p, 'case.report', UNSCOPED);
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('FIELD_REQUIRED', 'Send the photo as the request body', 'photo');
    const type = checkPhoto(body, contentType);
    const id = PhotoFiles.idOf(body);
    await this.files.save(id, type, body);
    await this.store.insertPhoto(this.ctx.db, { id, content_type: type, bytes: body.length, uploaded_by: p.accountId, created_at: this.ctx.clock.now() });
    return { id, url: `/api/cases/photos/${id}`, contentType: type, bytes: body.length };
  }

  async read(p: Principal | null, id: string): Promise<{ type: PhotoType; body: Buffer }> {
    authorize(p, 'case.report', UNSCOPED);
    const row = /^[0-9a-f]{64}$/.test(id) ? await this.store.getPhoto(this.ctx.db, id) : undefined;
    if (!row) throw new AppError('PHOTO_NOT_FOUND', `No photo ${id.slice(0, 64)}`);
    try {
      return { type: row.content_type as PhotoType, body: await this.files.read(id, row.content_type as PhotoType) };
    } catch (err) {
      // The record outlived its file (a data directory restored without it, another server's disk).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('PHOTO_NOT_FOUND', `Photo ${id} is recorded but its file is missing`);
      throw err;
    }
  }
}

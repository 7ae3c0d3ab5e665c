import { Type, type Static } from 'typebox';

/** An import job as clients see it: where it stands, what it did, where its errors are. */
export const ImportJobSchema = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  format: Type.String({ description: 'csv, geojson (a FeatureCollection) or ndjson (one Feature per line)' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('interrupted'), Type.Literal('failed'), Type.Literal('done')]),
  bytes: Type.Integer({ description: 'Bytes of the file committed so far' }),
  totalBytes: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer({ description: 'Rows refused; each has a line in the error file' }),
  errorFileUrl: Type.Union([Type.String(), Type.Null()], { description: 'CSV of refused rows (line, field, reason, record), when there are any' }),
  message: Type.Union([Type.String(), Type.Null()]),
  scopeCode: Type.String({ description: 'The jurisdiction the import was allowed to write in' }),
  startedBy: Type.String(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  finishedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type ImportView = Static<typeof ImportJobSchema>;

export const ImportListSchema = Type.Object({ items: Type.Array(ImportJobSchema) });

export const UploadQuery = Type.Object({
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'The original file name; its extension helps tell the format' })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('geojson'), Type.Literal('ndjson')], { description: 'Default: from the file name and content' })),
});
export type UploadQuery = Static<typeof UploadQuery>;

export const ListImportsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Default 50' })),
});

export const ImportIdParam = Type.Object({ id: Type.String({ maxLength: 36 }) });

/** Progress of a running import, after each committed batch. */
export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** A refused row: where it is, which field, why. */
export interface RowError {
  line: number;
  field: string;
  reason: string;
  /** The record's properties as JSON, cut to 500 characters ('' when the record could not be read). */
  record: string;
}

/** `line 17, geometry.coordinates: latitude and longitude appear swapped…` */
export const describeRowError = (e: Pick<RowError, 'line' | 'field' | 'reason'>): string => `line ${e.line}, ${e.field}: ${e.reason}`;

// Component imports: upload a file (with upload progress, which fetch cannot report), follow the job.
import { ApiError, apiUrl, get } from '../../api/client.ts';

export type ImportStatus = 'running' | 'interrupted' | 'failed' | 'done';

export interface ImportJob {
  id: string;
  fileName: string;
  format: string;
  status: ImportStatus;
  bytes: number;
  totalBytes: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errorFileUrl: string | null;
  message: string | null;
  scopeCode: string;
  startedBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** File types the picker offers; the server tells the format from the name and the content. */
export const ACCEPT = '.csv,.tsv,.geojson,.json,.ndjson,.geojsonl,.geojsons,.jsonl';

function contentType(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'text/csv';
  if (ext === 'tsv') return 'text/tab-separated-values';
  if (ext === 'geojson' || ext === 'json') return 'application/geo+json';
  if (ext === 'ndjson' || ext === 'geojsonl' || ext === 'geojsons' || ext === 'jsonl') return 'application/x-ndjson';
  return 'application/octet-stream';
}

function problem(xhr: XMLHttpRequest): ApiError {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(xhr.responseText) as Record<string, unknown>;
  } catch {
    // not problem+json: a proxy answered
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return new ApiError(xhr.status, str(body.code) || `HTTP_${xhr.status}`, str(body.title) || xhr.statusText, str(body.detail) || str(body.title) || xhr.statusText, str(body.field) || undefined);
}

/**
 * Sends the file as the request body; `onProgress(sent, total)` follows the upload. Resolves with
 * the job the server started (202), rejects with ApiError; `signal` cancels the upload.
 */
export function upload(file: File, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/components/imports', { fileName: file.name }));
    xhr.setRequestHeader('content-type', contentType(file.name));
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 202) resolve(JSON.parse(xhr.responseText) as ImportJob);
      else reject(problem(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Network error', 'The upload was cut off'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

export const job = (id: string, signal?: AbortSignal) => get<ImportJob>(`/components/imports/${encodeURIComponent(id)}`, undefined, signal);
export const jobs = (signal?: AbortSignal) => get<{ items: ImportJob[] }>('/components/imports', { limit: 20 }, signal);

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode } from '../errors.ts';

/** RFC 9457 problem details, with our stable `code` and the offending `field`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
  instance?: string;
  [extra: string]: unknown;
}

function problem(code: ErrorCode, detail: string, field?: string, extra?: Record<string, unknown>): Problem {
  const { status, title } = ERRORS[code];
  return { type: `https://yiwang.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, detail, code, ...(field ? { field } : {}), ...extra };
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns an Ajv validation failure into a field name ('body.lon' → 'lon') and a readable reason. */
function fromValidation(err: FastifyError & { validation?: AjvError[]; validationContext?: string }): Problem {
  const first: AjvError = err.validation?.[0] ?? {};
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = first.keyword === 'required' ? String(first.params?.missingProperty ?? '') : '';
  const extraProp = first.keyword === 'additionalProperties' ? String(first.params?.additionalProperty ?? '') : '';
  const field = [path, missing || extraProp].filter(Boolean).join('.') || err.validationContext || 'body';
  let reason = first.message ?? 'is invalid';
  if (extraProp) reason = 'is not a known field';
  if (missing) return problem('FIELD_REQUIRED', `${field} is required (in ${err.validationContext ?? 'request'})`, field);
  return problem('FIELD_INVALID', `${field} ${reason} (in ${err.validationContext ?? 'request'})`, field);
}

/** Maps any error to problem+json. Bad input is always a 4xx; only real faults become a 500. */
export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) return problem(err.code, err.message, err.field, err.extra);
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e?.validation) return fromValidation(e);
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('BODY_TOO_LARGE', 'The request body is larger than this server accepts', 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('MEDIA_TYPE_UNSUPPORTED', e.message, 'content-type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('BODY_MALFORMED', 'The body is empty but the content type says JSON', 'body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('BODY_MALFORMED', e.message, 'body');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code: ErrorCode = e.statusCode === 413 ? 'BODY_TOO_LARGE' : e.statusCode === 415 ? 'MEDIA_TYPE_UNSUPPORTED' : e.statusCode === 429 ? 'RATE_LIMITED' : e.statusCode === 404 ? 'NOT_FOUND' : 'FIELD_INVALID';
    return { ...problem(code, e.message), status: e.statusCode };
  }
  return problem('INTERNAL', 'An unexpected error occurred; it has been logged');
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, p: Problem): FastifyReply {
  // A throttled caller is told how long to wait (429 RATE_LIMITED, 423 AUTH_LOCKED).
  if (typeof p.retryAfter === 'number') reply.header('retry-after', String(p.retryAfter));
  return reply
    .status(p.status)
    .type('application/problem+json; charset=utf-8')
    .send({ ...p, instance: req.url.split('?')[0] });
}

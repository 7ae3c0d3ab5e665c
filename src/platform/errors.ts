/**
 * The one error catalogue. Every error a client can see has a stable code here, an HTTP status and a
 * title; services throw `AppError`s, and platform/http maps them once to RFC 9457 problem+json.
 * Codes never change meaning once published: clients branch on them.
 */
export const ERRORS = {
  // input
  FIELD_INVALID: { status: 400, title: 'A field is invalid' },
  FIELD_REQUIRED: { status: 400, title: 'A required field is missing' },
  FIELD_LOCKED: { status: 400, title: 'This field comes from a base registry and is not changed here; report a wrong value to its department' },
  BODY_MALFORMED: { status: 400, title: 'The request body is not well-formed' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  MEDIA_TYPE_UNSUPPORTED: { status: 415, title: 'The content type is not supported' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  // access
  AUTH_REQUIRED: { status: 401, title: 'Authentication required' },
  AUTH_INVALID: { status: 401, title: 'Wrong username or password' },
  AUTH_LOCKED: { status: 423, title: 'Account temporarily locked after repeated failed logins' },
  ACCOUNT_DISABLED: { status: 403, title: 'This account is disabled' },
  SESSION_REQUIRED: { status: 403, title: 'This needs a signed-in session, not an API token' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  TOKEN_INVALID: { status: 401, title: 'The API token is invalid, expired or revoked' },
  ORIGIN_FORBIDDEN: { status: 403, title: 'Requests from another site may not change anything here' },
  ROLE_FORBIDDEN: { status: 403, title: 'Your role does not allow this' },
  SCOPE_FORBIDDEN: { status: 403, title: 'This record is outside your jurisdiction' },
  OWNER_FORBIDDEN: { status: 403, title: 'This record belongs to someone else' },
  // records
  NOT_FOUND: { status: 404, title: 'Not found' },
  JURISDICTION_NOT_FOUND: { status: 404, title: 'No such jurisdiction' },
  ACCOUNT_NOT_FOUND: { status: 404, title: 'No such account' },
  DEPARTMENT_NOT_FOUND: { status: 404, title: 'No such department' },
  MESSAGE_NOT_FOUND: { status: 404, title: 'No such message' },
  TOKEN_NOT_FOUND: { status: 404, title: 'No such API token' },
  CONFLICT: { status: 409, title: 'The record was changed or already exists' },
  CASE_NOT_FOUND: { status: 404, title: 'No such case' },
  CASE_TRANSITION_INVALID: { status: 409, title: 'The case is not at a stage where this can be done' },
  CASE_SELF_VERIFICATION: { status: 403, title: 'A case is verified by someone other than its handler' },
  PHOTO_INVALID: { status: 415, title: 'The photo is not a JPEG, PNG or WebP image' },
  PHOTO_NOT_FOUND: { status: 404, title: 'No such photo' },
  APPLICATION_NOT_FOUND: { status: 404, title: 'No such application' },
  APPLICATION_TRANSITION_INVALID: { status: 409, title: 'The application is not at a stage where this can be done' },
  APPLICATION_WAITING: { status: 409, title: 'The application waits for another item of its bundle to be approved first' },
  APPLICATION_BLOCKED: { status: 409, title: 'The application builds on another item of its bundle that will not be approved' },
  DEPARTMENT_FORBIDDEN: { status: 403, title: 'This application is handled by another department' },
  MATERIAL_MISSING: { status: 400, title: 'Required materials are missing' },
  MATERIAL_TYPE_INVALID: { status: 415, title: 'The file is not a PDF, JPEG or PNG' },
  BUNDLE_NOT_FOUND: { status: 404, title: 'No such bundle or bundle application' },
  SUBJECT_NOT_BOUND: { status: 404, title: 'This account is not linked to a resident or company in the base registries' },
  RESOURCE_NOT_FOUND: { status: 404, title: 'No such data resource' },
  EXCHANGE_REQUEST_NOT_FOUND: { status: 404, title: 'No such access request' },
  EXCHANGE_REQUEST_DECIDED: { status: 409, title: 'The access request is no longer pending' },
  EXCHANGE_GRANT_MISSING: { status: 403, title: 'Your department holds no grant for this data resource' },
  EXCHANGE_GRANT_EXPIRED: { status: 403, title: 'The grant for this data resource has expired' },
  EXCHANGE_GRANT_REVOKED: { status: 403, title: 'The grant for this data resource was revoked' },
  EXCHANGE_FIELD_FORBIDDEN: { status: 403, title: 'A field asked for is outside the grant' },
  EXCHANGE_SUBJECT_FORBIDDEN: { status: 403, title: 'The subject asked about is outside the grant' },
  EXCHANGE_SUBJECT_NOT_FOUND: { status: 404, title: 'The registry holds no such subject' },
  WALLET_CREDENTIAL_NOT_FOUND: { status: 404, title: 'No such credential in your wallet' },
  LICENCE_NOT_FOUND: { status: 404, title: 'No such licence in the e-licence library for you' },
  LICENCE_NOT_VALID: { status: 409, title: 'The licence is not valid and cannot go into the wallet' },
  STATUS_LIST_NOT_FOUND: { status: 404, title: 'No such status list' },
  USERNAME_TAKEN: { status: 409, title: 'That username is taken' },
  CERTIFICATE_NOT_FOUND: { status: 404, title: 'No such certificate' },
  CERTIFICATE_NOT_ELIGIBLE: { status: 422, title: 'This certificate cannot be issued to you online' },
  // platform
  SERVICE_UNAVAILABLE: { status: 503, title: 'A required service is unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error meant for the client: a catalogue code, a readable detail and, for input errors, the field. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? ERRORS[code].title);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

/** Shorthand for the most common input error: `invalid('lon', 'must be between -180 and 180')`. */
export function invalid(field: string, reason: string): AppError {
  return new AppError('FIELD_INVALID', `${field} ${reason}`, field);
}

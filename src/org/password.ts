import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalid } from '../platform/errors.ts';

/**
 * Password hashing with scrypt. The stored form carries its own parameters
 * (`scrypt$N$r$p$salt$hash`, base64url), so the cost can be raised later: hashes made with weaker
 * parameters still verify, and `needsRehash` tells the login to store a stronger one.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB of memory per hash, about 0.1 s on a current core. */
export const DEFAULT_PARAMS: ScryptParams = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string, current: ScryptParams = DEFAULT_PARAMS): Promise<{ ok: boolean; needsRehash: boolean }> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { ok: false, needsRehash: false };
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  if (![params.N, params.r, params.p].every((n) => Number.isInteger(n) && n > 0) || params.N > 1 << 20) return { ok: false, needsRehash: false };
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return { ok: false, needsRehash: false };
  const actual = await derive(password, salt, params);
  const ok = timingSafeEqual(actual, expected);
  const needsRehash = ok && (params.N < current.N || params.r < current.r || params.p < current.p);
  return { ok, needsRehash };
}

let dummy: Promise<string> | null = null;

/**
 * Spends the same time as a real check, for logins naming no account, so response time does not
 * reveal which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
}

/**
 * The password policy: 10 to 128 characters, with at least three of lower case, upper case,
 * digits and other characters. Throws FIELD_INVALID naming `field`.
 */
export function checkPasswordPolicy(password: string, field = 'password', username?: string): void {
  if (password.length < 10) throw invalid(field, 'must be at least 10 characters long');
  if (password.length > 128) throw invalid(field, 'must be at most 128 characters long');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < 3) throw invalid(field, 'must mix at least three of: lower case, upper case, digits, other characters');
  if (username && password.toLowerCase().includes(username.toLowerCase())) throw invalid(field, 'must not contain the username');
}

/** sha256 hex of a session or API-token secret: what is stored and looked up instead of the secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

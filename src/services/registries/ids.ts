// The two national identifiers the base registries key on: the citizen identity number
// (公民身份号码, GB 11643-1999) and the unified social credit code (统一社会信用代码, GB 32100-2015)
// with the organisation code (组织机构代码, GB 11714-1997) inside it. Both carry check characters,
// so generated numbers pass the same validation a department's system would apply to real ones.

import type { Sex } from './registry.types.ts';

// ---- GB 11643-1999: citizen identity number ----

// ISO 7064 MOD 11-2: weight i is 2^(17-i) mod 11; the remainder indexes the check character.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character (0-9 or X) of an identity number's first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`an identity number starts with 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Whether `ymd` (YYYYMMDD) is a real calendar date. */
function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** Whether `s` is an 18-character identity number with a real birth date and the right check character. */
export function isValidIdNumber(s: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(s)) return false;
  const y = Number(s.slice(6, 10));
  // The 18-digit form covers people alive when it was introduced (1999) and everyone born since.
  if (y < 1850 || y > 2099 || !isCalendarDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false;
  if (s.slice(14, 17) === '000') return false;
  return idCheckChar(s.slice(0, 17)) === s[17];
}

/** An identity number for a 6-digit area code, a birth date (YYYY-MM-DD) and a sequence 1..999 (odd: male, even: female). */
export function makeIdNumber(areaCode6: string, birthDate: string, seq: number, sex?: Sex): string {
  if (!/^[1-9]\d{5}$/.test(areaCode6)) throw new RangeError(`not an area code: ${areaCode6}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new RangeError(`not a date: ${birthDate}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > 999) throw new RangeError(`sequence out of 1..999: ${seq}`);
  if (sex && (seq % 2 === 1) !== (sex === 'M')) throw new RangeError(`sequence ${seq} does not encode sex ${sex}`);
  const first17 = areaCode6 + m[1] + m[2] + m[3] + String(seq).padStart(3, '0');
  return first17 + idCheckChar(first17);
}

/** The holder's sex, from the parity of the 17th digit. */
export function sexOfIdNumber(s: string): Sex {
  return (s.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
}

/** The birth date (YYYY-MM-DD) an identity number encodes. */
export function birthDateOfIdNumber(s: string): string {
  return `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
}

// ---- GB 11714-1997: organisation code (positions 9-17 of the credit code) ----

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

// GB 11714 values letters A..Z as 10..35, all 26 of them, unlike the credit code's own alphabet.
function orgValue(c: string): number {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/** The check character (0-9 or X) of an organisation code's 8-character body. */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError(`an organisation code body is 8 digits or capitals: ${body8}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(body8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// ---- GB 32100-2015: unified social credit code ----

/** The 31 characters a credit code may use: digits and capitals without I, O, Z, S, V. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_VALUE = new Map([...USCC_ALPHABET].map((c, i) => [c, i]));

/** The 18th (check) character of a credit code's first 17 characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`a credit code starts with 17 characters: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_VALUE.get(first17[i]!);
    if (v === undefined) throw new RangeError(`'${first17[i]}' is not in the credit code alphabet`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const USCC_SHAPE = new RegExp(`^[1-9ANY][1-9][0-9]{6}[${USCC_ALPHABET}]{10}$`);

/**
 * Whether `s` is a well-formed credit code: alphabet, a numeric division code, the organisation
 * code's own check character and the code's check character.
 */
export function isValidUscc(s: string): boolean {
  if (!USCC_SHAPE.test(s)) return false;
  if (orgCodeCheckChar(s.slice(8, 16)) !== s[16]) return false;
  return usccCheckChar(s.slice(0, 17)) === s[17];
}

/** The parts a credit code is built from. */
export interface UsccParts {
  /** 登记管理部门码: '9' 工商 (market regulation), '5' 民政, '1' 机构编制, … */
  authority: string;
  /** 机构类别码 under the authority: for '9', '1' enterprise, '2' individual business, '3' farmers' cooperative. */
  type: string;
  /** The 6-digit administrative division code of the registering office. */
  division6: string;
  /** The organisation code body: 8 characters from the credit code alphabet, or a number written as 8 digits. */
  serial: string | number;
}

/** A credit code with valid organisation-code and code check characters. */
export function makeUscc({ authority, type, division6, serial }: UsccParts): string {
  const body = typeof serial === 'number' ? String(serial).padStart(8, '0') : serial;
  if (!/^\d{6}$/.test(division6)) throw new RangeError(`not a division code: ${division6}`);
  if (!new RegExp(`^[${USCC_ALPHABET}]{8}$`).test(body)) throw new RangeError(`not an organisation code body: ${body}`);
  const first17 = authority + type + division6 + body + orgCodeCheckChar(body);
  const code = first17 + usccCheckChar(first17);
  if (!USCC_SHAPE.test(code)) throw new RangeError(`not a credit code: ${code}`);
  return code;
}

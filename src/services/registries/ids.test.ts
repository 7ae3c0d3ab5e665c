import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  birthDateOfIdNumber,
  idCheckChar,
  isValidIdNumber,
  isValidUscc,
  makeIdNumber,
  makeUscc,
  orgCodeCheckChar,
  sexOfIdNumber,
  USCC_ALPHABET,
  usccCheckChar,
} from './ids.ts';

test('the two examples printed in GB 11643-1999 are valid identity numbers', () => {
  assert.equal(idCheckChar('11010519491231002'), 'X');
  assert.equal(idCheckChar('44052418800101001'), '4');
  assert.ok(isValidIdNumber('11010519491231002X'));
  assert.ok(isValidIdNumber('440524188001010014'));
  assert.equal(sexOfIdNumber('11010519491231002X'), 'F');
  assert.equal(sexOfIdNumber('440524188001010014'), 'M');
  assert.equal(birthDateOfIdNumber('11010519491231002X'), '1949-12-31');
});

test('an identity number with a wrong check character, an impossible date or a bad shape is refused', () => {
  assert.equal(isValidIdNumber('110105194912310021'), false, 'wrong check character');
  assert.equal(isValidIdNumber('11010519491231002x'), false, 'lower-case x');
  // Each of these has the check character its first 17 digits would give, so only the date is wrong.
  for (const first17 of ['31011519880230001', '31011519881301001', '31011519870229001', '31011518000101001']) {
    assert.equal(isValidIdNumber(first17 + idCheckChar(first17)), false, first17);
  }
  assert.ok(isValidIdNumber('31011519880229001' + idCheckChar('31011519880229001')), '1988 was a leap year');
  assert.equal(isValidIdNumber('11010519491231002'), false, '17 characters');
  assert.equal(isValidIdNumber('11010519491231002XX'), false, '19 characters');
  assert.equal(isValidIdNumber('01010519491231002X'), false, 'area code starting with 0');
  const zeroSeq = '31011519880517000';
  assert.equal(isValidIdNumber(zeroSeq + idCheckChar(zeroSeq)), false, 'sequence 000');
});

test('made identity numbers are valid and encode area, birth date and sex', () => {
  const id = makeIdNumber('310115', '1988-05-17', 1, 'M');
  assert.equal(id.slice(0, 17), '31011519880517001');
  assert.ok(isValidIdNumber(id));
  assert.equal(sexOfIdNumber(id), 'M');
  assert.equal(birthDateOfIdNumber(id), '1988-05-17');
  for (let seq = 1; seq <= 999; seq++) {
    const n = makeIdNumber('320102', '2000-02-29', seq);
    assert.ok(isValidIdNumber(n), n);
    assert.equal(sexOfIdNumber(n), seq % 2 ? 'M' : 'F');
  }
  assert.throws(() => makeIdNumber('310115', '1988-05-17', 2, 'M'), RangeError, 'even sequence is female');
  assert.throws(() => makeIdNumber('310115', '1988-02-30', 1), RangeError);
  assert.throws(() => makeIdNumber('310115', '1988-05-17', 1000), RangeError);
  assert.throws(() => makeIdNumber('31011', '1988-05-17', 1), RangeError);
});

test('published credit codes validate (the GB 32100 example and large companies\' codes)', () => {
  // The standard's worked example, then codes printed on well-known companies' business licences.
  const published = ['91350100M000100Y43', '914403001922038216', '9144030071526726XG', '91110108551385082Q', '91310000132200821H'];
  for (const code of published) assert.ok(isValidUscc(code), code);
  assert.equal(orgCodeCheckChar('M000100Y'), '4');
  assert.equal(usccCheckChar('91350100M000100Y4'), '3');
});

test('a credit code with a wrong check character, a forbidden letter or a broken organisation code is refused', () => {
  assert.equal(isValidUscc('91350100M000100Y44'), false, 'wrong check character');
  assert.equal(isValidUscc('91350100M000100Y4'), false, '17 characters');
  for (const letter of 'IOZSV') {
    const first17 = `91350100M0001${letter}0Y4`;
    assert.throws(() => usccCheckChar(first17), RangeError);
    assert.equal(isValidUscc(`${first17}3`), false, letter);
  }
  // A right final check character does not save a wrong organisation-code check character.
  const brokenOrg = '91350100M000100Y5';
  assert.equal(isValidUscc(brokenOrg + usccCheckChar(brokenOrg)), false);
  assert.equal(isValidUscc('9135a100M000100Y43'), false, 'division code with a letter');
});

test('made credit codes are valid, and round-trip their parts', () => {
  const c = makeUscc({ authority: '9', type: '1', division6: '310115', serial: 'MA1K3L4B' });
  assert.ok(isValidUscc(c));
  assert.equal(c.slice(0, 16), '91310115MA1K3L4B');
  assert.equal(makeUscc({ authority: '9', type: '2', division6: '310101', serial: 1234 }).slice(0, 16), '9231010100001234');
  assert.equal(makeUscc({ authority: '9', type: '1', division6: '350100', serial: 'M000100Y' }), '91350100M000100Y43');
  // Every alphabet character in every body position still yields a valid code.
  for (const ch of USCC_ALPHABET) {
    for (let pos = 0; pos < 8; pos++) {
      const body = '00000000'.slice(0, pos) + ch + '00000000'.slice(pos + 1);
      assert.ok(isValidUscc(makeUscc({ authority: '9', type: '1', division6: '310000', serial: body })), body);
    }
  }
  assert.throws(() => makeUscc({ authority: '9', type: '1', division6: '310115', serial: 'MA1K3L4S' }), RangeError);
  assert.throws(() => makeUscc({ authority: '9', type: '1', division6: '31011', serial: 1 }), RangeError);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogueIndex, normalise, withinOneEdit } from './search.ts';

const doc = (code: string, nameZh: string, nameEn: string, keywords: string[] = []) => ({ code, nameZh, nameEn, sector: 'scjg', kind: 'licensing', online: 'full', lifeEvents: [], enterpriseEvents: ['food_business'], keywords });

const index = new CatalogueIndex(
  [doc('a', '食品经营许可', 'Food business licence', ['开饭店']), doc('b', '居住证办理', 'Residence permit'), doc('c', '营业执照（企业设立登记）', 'Business licence (company registration)')],
  { 开餐馆: ['食品经营'] },
);
const top = (q: string) => index.search(q).hits[0]?.doc.code;

test('Chinese names, everyday words, synonyms, pinyin, initials, English and typos each find the item', () => {
  assert.equal(top('食品经营许可'), 'a');
  assert.equal(top('食品'), 'a');
  assert.equal(top('我想开饭店'), 'a', 'a keyword inside a longer question');
  assert.equal(top('开餐馆'), 'a', 'a synonym');
  assert.equal(top('shipinjingying'), 'a');
  assert.equal(top('kfd'), 'a', 'initials of a keyword');
  assert.equal(top('jzz'), 'b');
  assert.equal(top('juzhuzheng'), 'b');
  assert.equal(top('residence permit'), 'b');
  assert.equal(top('食品经应许可'), 'a', 'one wrong character');
  assert.equal(top('营业执找'), 'c');
  assert.equal(top('busines licence'), 'c', 'an English typo');
  assert.equal(index.search('完全无关的词').total, 0);
});

test('normalising and the one-edit typo test', () => {
  assert.equal(normalise('  食品（经营）ＡＢＣ '), '食品 经营 abc');
  assert.equal(withinOneEdit('kaifandian', 'kaifandain'), true, 'a swap of neighbours is one edit');
  assert.equal(withinOneEdit('abc', 'xyz'), false);
});

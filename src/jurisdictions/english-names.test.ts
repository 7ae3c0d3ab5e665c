import { test } from 'node:test';
import assert from 'node:assert/strict';
import { committeeNameEn, districtNameEn, pinyinWord, streetNameEn } from './english-names.ts';

test('districts use their official English names', () => {
  assert.equal(districtNameEn('310101'), 'Huangpu District');
  assert.equal(districtNameEn('310106'), "Jing'an District");
  assert.equal(districtNameEn('310115'), 'Pudong New Area');
});

test('streets are pinyin plus the English generic for their kind', () => {
  assert.equal(streetNameEn('310101002', '外滩街道'), 'Waitan Subdistrict');
  assert.equal(streetNameEn('310101001', '南京东路街道'), 'Nanjing Donglu Subdistrict');
  assert.equal(streetNameEn('310115125', '张江镇'), 'Zhangjiang Town');
  assert.equal(streetNameEn('310112102', '莘庄镇'), 'Xinzhuang Town'); // place-name reading
  assert.equal(streetNameEn('310151230', '横沙乡'), 'Hengsha Township');
  assert.equal(streetNameEn('310115503', '张江高科技园区'), 'Zhangjiang Hi-Tech Park');
});

test('committees become Residents\' Committees or Villages', () => {
  assert.equal(committeeNameEn('多福巷社区居委会', ''), "Duofuxiang Residents' Committee");
  assert.equal(committeeNameEn('永安村村委会', ''), "Yong'an Village");
  assert.equal(committeeNameEn('张江高科技园区虚拟社区', 'Zhangjiang Hi-Tech Park'), 'Zhangjiang Hi-Tech Park Virtual Community');
});

test('pinyin separates a/o/e syllables with an apostrophe', () => {
  assert.equal(pinyinWord('静安'), "Jing'an");
  assert.equal(pinyinWord('西安'), "Xi'an");
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mask } from './masking.ts';

test('an identity number keeps its first four and last four characters', () => {
  assert.equal(mask('id', '310115198805170012'), '3101**********0012');
  assert.equal(mask('id', '11010519491231002X'), '1101**********002X');
});

test('phones, names, dates and free text keep only what recognises a record', () => {
  assert.equal(mask('phone', '13812345678'), '138****5678');
  assert.equal(mask('name', '张伟'), '张*');
  assert.equal(mask('name', '欧阳娜娜'), '欧***');
  assert.equal(mask('date', '1988-05-17'), '1988-**-**');
  assert.equal(mask('text', 'ZHANG Wei'), 'Z***');
});

test('an address is cut after its street or town; hidden fields and numbers give nothing', () => {
  assert.equal(mask('address', '上海市浦东新区陆家嘴街道银城中路88弄3号楼1201室'), '上海市浦东新区陆家嘴街道****');
  assert.equal(mask('address', '上海市崇明区城桥镇八一路1号'), '上海市崇明区城桥镇****');
  assert.equal(mask('address', '上海市黄浦区中山东一路1号'), '上海市黄浦区****');
  assert.equal(mask('hide', '汉族'), null);
  assert.equal(mask('id', 42), null);
  assert.equal(mask('name', null), null);
});

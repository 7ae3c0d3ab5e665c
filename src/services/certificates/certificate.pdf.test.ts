import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { renderPdf, type PrintableCertificate } from './certificate.pdf.ts';
import { findCjkFont } from './fonts.ts';

const CERT: PrintableCertificate = {
  titleZh: '户籍证明', titleEn: 'Certificate of Household Registration', number: '沪公(户)证字〔2026〕第000001号', authority: '陆家嘴派出所',
  issuedOn: '2026-03-02', validUntil: '2026-05-30',
  lines: [{ zh: '姓名', en: 'Name', value: '张伟 <script>alert(1)</script>' }, { zh: '公民身份号码', en: 'Identity number', value: '310115198805170012' }, { zh: '亲属关系', en: 'Relatives', value: ['配偶：李娜', '儿子：张小伟'] }],
  statement: '兹证明张伟系本市常住户口。', verifyUrl: `http://localhost:8080/verify#vp=${'x'.repeat(2500)}`, qrOmits: ['缴费记录'],
};

test('without any CJK font the certificate is still a valid PDF, in English, pointing to the QR code', async () => {
  const pdf = await renderPdf(CERT, null);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.toString('latin1'), /Helvetica/);
  assert.doesNotMatch(pdf.toString('latin1'), /NotoSerif|NotoSans/);
});

test('a font that is there but does not load falls back instead of failing', async () => {
  const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-font-')), 'broken.ttf');
  fs.writeFileSync(bogus, 'not a font');
  const pdf = await renderPdf(CERT, { path: bogus });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
});

test('YIWANG_PDF_FONT names the font (path#face), and a missing one falls through to the system\'s', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-font-')), 'mine.ttc');
  fs.writeFileSync(file, '');
  assert.deepEqual(findCjkFont({ YIWANG_PDF_FONT: `${file}#MyFace-Regular` }), { path: file, face: 'MyFace-Regular' });
  assert.deepEqual(findCjkFont({ YIWANG_PDF_FONT: file }), { path: file });
  assert.notEqual(findCjkFont({ YIWANG_PDF_FONT: '/nonexistent/font.ttf' })?.path, '/nonexistent/font.ttf');
});

test('with the system\'s CJK font the PDF embeds a subset of it', { skip: findCjkFont({}) ? false : 'no CJK font on this machine' }, async () => {
  const pdf = await renderPdf(CERT, findCjkFont({}));
  assert.match(pdf.toString('latin1'), /\/FontFile3|\/FontFile2/);
  assert.match(pdf.toString('latin1'), /\/BaseFont \/[A-Z]{6}\+/, 'a subset font is tagged ABCDEF+Name');
  assert.ok(pdf.length < 300_000, `${pdf.length} bytes`);
});

// The printed certificate: one A4 page with the title, number, the facts, the issuing office and
// date, the validity, and a QR code that opens the verify page with the signed paper credential,
// its text printed small beneath so it can be typed. pdfkit subsets the embedded font to the
// characters used, so a page stays tens of kilobytes although the font file is tens of megabytes.

import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { findCjkFont, fontBytes, type FontChoice } from './fonts.ts';

/** What the page shows, already worded. */
export interface PrintableCertificate {
  titleZh: string;
  titleEn: string;
  number: string;
  authority: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  validUntil: string;
  /** Labelled facts in order; a list value prints one item per line. */
  lines: Array<{ zh: string; en: string; value: string | string[] }>;
  /** The 兹证明… sentence, printed as a paragraph. */
  statement: string | null;
  /** `<publicUrl>/verify#vp=<paper SD-JWT>`: what the QR code holds. */
  verifyUrl: string;
  /** Labels of claims too long for the QR code (it then proves the others; the page prints all). */
  qrOmits?: string[];
  /** Printed when the certificate was withdrawn or has expired. */
  notice?: string | null;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const RED = '#c8102e';

/** The QR code of a verify URL as a PNG (low error correction: the paper credential is long). */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'L', margin: 2, scale: 4 });
}

/** Shows `2026-03-02` as 2026年03月02日. */
const dateZh = (d: string): string => `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`;

/**
 * Renders the certificate. With a CJK font (found by `findCjkFont`, or given) it prints in Chinese;
 * without one it still makes a valid PDF in Helvetica with English labels, Chinese values replaced
 * by a pointer to the QR code, so a server without fonts degrades instead of failing.
 */
export async function renderPdf(c: PrintableCertificate, font: FontChoice | null = findCjkFont()): Promise<Buffer> {
  const qr = await qrPng(c.verifyUrl);
  try {
    return await draw(c, qr, font);
  } catch (err) {
    // A font that exists but does not load (a damaged file, a wrong face name) must not stop printing.
    if (font) return draw(c, qr, null);
    throw err;
  }
}

function draw(c: PrintableCertificate, qr: Buffer, font: FontChoice | null): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, compress: true, info: { Title: `${c.titleZh} ${c.number}`, Author: c.authority, Subject: c.titleEn, Producer: 'Yiwang' } });
  const out: Buffer[] = [];
  doc.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(out)));
    doc.on('error', reject);
  });
  const cjk = font !== null;
  if (font) {
    doc.registerFont('cjk', fontBytes(font), font.face);
    doc.font('cjk');
  } else doc.font('Helvetica');
  // Without a CJK font, text outside Latin-1 cannot be drawn: say where to read it instead.
  const t = (s: string): string => (cjk || !/[^\x20-\xff]/.test(s) ? s : '[Chinese text: scan the QR code]');
  const width = A4.width - 2 * MARGIN;

  // Heading: office, title, number.
  doc.fillColor('#333').fontSize(11).text(t(c.authority), MARGIN, MARGIN, { width, align: 'center' });
  doc.moveDown(0.6).fillColor('black').fontSize(24).text(cjk ? c.titleZh : c.titleEn, { width, align: 'center', characterSpacing: cjk ? 4 : 0 });
  if (cjk) doc.moveDown(0.1).fillColor('#666').font('Helvetica').fontSize(9).text(c.titleEn, { width, align: 'center' }).font('cjk');
  doc.moveDown(0.8).fillColor('black').fontSize(10).text(`${cjk ? '编号：' : 'No. '}${t(c.number)}`, { width, align: 'right' });
  if (!cjk) doc.fillColor('#a00').fontSize(8).text('No Chinese font was found on the server (set YIWANG_PDF_FONT): Chinese values are on the verify page the QR code opens.', { width }).fillColor('black');
  doc.moveDown(0.6);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.8).strokeColor('#999').stroke();
  doc.moveDown(0.8);

  // The facts: a label column and a value column; lists one item per line.
  const labelW = 118;
  for (const line of c.lines) {
    const y = doc.y;
    const values = Array.isArray(line.value) ? (line.value.length ? line.value : [cjk ? '无' : 'none']) : [line.value];
    doc.fillColor('#555').fontSize(10).text(cjk ? line.zh : line.en, MARGIN, y, { width: labelW });
    const labelEnd = doc.y;
    doc.fillColor('black').fontSize(Array.isArray(line.value) ? 9.5 : 10.5);
    doc.text(values.map(t).join('\n'), MARGIN + labelW + 8, y, { width: width - labelW - 8, lineGap: 2 });
    doc.x = MARGIN;
    doc.y = Math.max(doc.y, labelEnd) + 5;
  }

  if (c.statement) {
    doc.moveDown(0.6).fontSize(11.5).fillColor('black').text(`${cjk ? '　　' : ''}${t(c.statement)}${cjk ? '特此证明。' : ''}`, MARGIN, doc.y, { width, lineGap: 4 });
  }
  if (c.notice) doc.moveDown(0.6).fillColor(RED).fontSize(12).text(t(c.notice), { width, align: 'center' }).fillColor('black');

  // Office, date and an e-seal mark, on the right; the QR code at the bottom left.
  const footTop = Math.max(doc.y + 24, A4.height - MARGIN - 250);
  const sealX = A4.width - MARGIN - 90;
  const sealY = footTop + 40;
  doc.save().circle(sealX, sealY, 44).lineWidth(2).strokeColor(RED).stroke();
  doc.fillColor(RED).fontSize(cjk ? 16 : 7).text(cjk ? '★' : 'E-SEAL', sealX - 40, sealY - (cjk ? 12 : 4), { width: 80, align: 'center' });
  if (cjk) doc.fontSize(8).text('电子证明专用', sealX - 40, sealY + 12, { width: 80, align: 'center' });
  doc.restore();
  doc.fillColor('black').fontSize(11).text(t(c.authority), MARGIN, footTop + 20, { width: width - 20, align: 'right' });
  doc.text(cjk ? dateZh(c.issuedOn) : c.issuedOn, MARGIN, doc.y + 4, { width: width - 20, align: 'right' });

  const qrSize = 130;
  const qrTop = footTop + 100;
  doc.image(qr, MARGIN, qrTop, { width: qrSize, height: qrSize });
  doc.fontSize(9).fillColor('#333').text(
    cjk ? `本证明有效期至${dateZh(c.validUntil)}。扫描左侧二维码，或在核验页面输入下方字符，可核验本证明的真实性与状态。` : `Valid until ${c.validUntil}. Scan the QR code, or type the text below on the verify page, to check that this certificate is genuine and still valid.`,
    MARGIN + qrSize + 14, qrTop + 8, { width: width - qrSize - 14, lineGap: 3 },
  );
  if (c.qrOmits?.length) {
    const list = c.qrOmits.join(cjk ? '、' : ', ');
    doc.fontSize(8).fillColor('#666').text(cjk ? `（二维码篇幅所限，未含：${list}）` : `(Too long for the QR code: ${t(list)})`, { width: width - qrSize - 14 });
  }
  // The QR's text, small but complete, so it can be typed where a camera cannot read the code.
  doc.font('Courier').fontSize(4.2).fillColor('#444').text(c.verifyUrl, MARGIN, qrTop + qrSize + 6, { width, lineBreak: true, height: A4.height - (qrTop + qrSize + 6) - 16, ellipsis: false });
  doc.end();
  return done;
}

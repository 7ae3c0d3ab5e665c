// What the printed QR code holds: the verify page's address with the paper credential after #vp=.
// A QR code holds at most 2,953 bytes (version 40, low error correction, byte mode), and a paper
// credential with every disclosure can be longer: a long contribution history, many tax years. An
// SD-JWT stays valid with any subset of its disclosures, so the longest facts are left out of the
// QR when they must be, most important ones kept; the page itself still prints them all.

/** The most a QR code can hold in byte mode at error correction level L. */
export const QR_MAX_BYTES = 2953;

/** Claims the QR keeps first: what identifies the certificate, its holder and its conclusion. */
const FIRST = ['certificate_number', 'name', 'entity_name', 'id_number', 'uscc', 'statement', 'conclusion', 'search_result', 'insurance_status', 'employment_status', 'account_status', 'arrears', 'valid_until', 'issued_on', 'issuing_authority', 'purpose'];

/** The claim name a disclosure discloses (its JSON is [salt, name, value]). */
function keyOf(disclosure: string): string | null {
  try {
    const d = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(d) && typeof d[1] === 'string' ? d[1] : null;
  } catch {
    return null;
  }
}

/**
 * The verify link for a paper credential: every disclosure when it fits in a QR code, else the
 * claims in `FIRST` order (then the rest, shortest first) while they fit. Returns the link and the
 * claims left out.
 */
export function verifyLink(publicUrl: string, paperSdJwt: string, maxBytes = QR_MAX_BYTES): { url: string; omitted: string[] } {
  const prefix = `${publicUrl.replace(/\/+$/, '')}/verify#vp=`;
  const full = prefix + paperSdJwt;
  if (Buffer.byteLength(full) <= maxBytes) return { url: full, omitted: [] };
  const [jwt, ...rest] = paperSdJwt.split('~');
  const disclosures = rest.filter(Boolean).map((d) => ({ d, key: keyOf(d) ?? '' }));
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  disclosures.sort((a, b) => rank(a.key) - rank(b.key) || a.d.length - b.d.length);
  let size = Buffer.byteLength(prefix + jwt + '~');
  const kept: string[] = [];
  const omitted: string[] = [];
  for (const x of disclosures) {
    if (size + x.d.length + 1 <= maxBytes) {
      kept.push(x.d);
      size += x.d.length + 1;
    } else omitted.push(x.key);
  }
  return { url: `${prefix}${jwt}~${kept.map((d) => `${d}~`).join('')}`, omitted };
}

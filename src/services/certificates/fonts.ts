// Which font prints Chinese on the PDF certificates. Fonts are found, not shipped: a CJK font is
// 10–25 MB, the machines Yiwang runs on have one from their package manager (Debian's
// fonts-noto-cjk, which the test script installs), and an operator can name another. Without any,
// the PDF is still made, in a Latin font with English labels (see certificate.pdf.ts).

import fs from 'node:fs';

/** A font file and, for a collection (.ttc), the PostScript name of the face to use. */
export interface FontChoice {
  path: string;
  /** The face inside a .ttc collection; undefined for a single-face .ttf/.otf. */
  face?: string;
}

/**
 * Where CJK fonts are on common systems, most official-looking first: a serif (宋体-like) face is
 * what government certificates are printed in; sans and the WenQuanYi faces are fallbacks.
 */
const CANDIDATES: FontChoice[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/System/Library/Fonts/Supplemental/Songti.ttc', face: 'STSongti-SC-Regular' },
  { path: '/Library/Fonts/Arial Unicode.ttf' },
  { path: 'C:\\Windows\\Fonts\\simsun.ttc', face: 'SimSun' },
];

/**
 * `YIWANG_PDF_FONT` as `path` or `path#Face` (a face of a .ttc), then the first candidate present.
 * Null when no CJK font is found. Only existence is checked here; a font that fails to load is
 * caught where it is used.
 */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env): FontChoice | null {
  const named = env.YIWANG_PDF_FONT?.trim();
  if (named) {
    const hash = named.lastIndexOf('#');
    const choice: FontChoice = hash > 0 ? { path: named.slice(0, hash), face: named.slice(hash + 1) } : { path: named };
    if (fs.existsSync(choice.path)) return choice;
  }
  return CANDIDATES.find((c) => fs.existsSync(c.path)) ?? null;
}

/** Font files read once per process: a collection is tens of megabytes. */
const loaded = new Map<string, Buffer>();

/** The font file's bytes, read once and kept. */
export function fontBytes(choice: FontChoice): Buffer {
  let b = loaded.get(choice.path);
  if (!b) {
    b = fs.readFileSync(choice.path);
    loaded.set(choice.path, b);
  }
  return b;
}

// Reading a QR code from pixels: the browser's BarcodeDetector where it has one (most phones), else
// jsQR on the frame's RGBA pixels (loaded on first use, a chunk of its own).

interface Detector {
  detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string }>>;
}
type DetectorCtor = { new (opts: { formats: string[] }): Detector; getSupportedFormats?(): Promise<string[]> };

let detectorPromise: Promise<Detector | null> | null = null;

function nativeDetector(): Promise<Detector | null> {
  detectorPromise ??= (async () => {
    const Ctor = (globalThis as { BarcodeDetector?: DetectorCtor }).BarcodeDetector;
    if (!Ctor) return null;
    try {
      const formats = (await Ctor.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Ctor({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return detectorPromise;
}

/** Loads jsQR ahead of need (the verify page does, so scanning works offline). */
export const loadJsQr = () => import('jsqr').then((m) => m.default);

/** The text of the first QR code in a canvas, or null. */
export async function decodeCanvas(canvas: HTMLCanvasElement): Promise<string | null> {
  const native = await nativeDetector();
  if (native) {
    try {
      const found = await native.detect(canvas);
      if (found[0]?.rawValue) return found[0].rawValue;
    } catch {
      // fall through to jsQR
    }
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx || !canvas.width || !canvas.height) return null;
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const jsQR = await loadJsQr();
  return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** Draws `source` on a canvas, scaled down so its longer edge is at most `max` pixels. */
export function toCanvas(source: CanvasImageSource, width: number, height: number, max = 1600, into?: HTMLCanvasElement): HTMLCanvasElement {
  const scale = Math.min(1, max / Math.max(width, height));
  const canvas = into ?? document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d', { willReadFrequently: true })!.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** The text of the QR code in a picture (a photo or a screenshot), or null. */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    // Full size first (dense codes need every pixel), then smaller (big photos decode better scaled).
    for (const max of [2400, 1200]) {
      const text = await decodeCanvas(toCanvas(bitmap, bitmap.width, bitmap.height, max));
      if (text) return text;
      if (Math.max(bitmap.width, bitmap.height) <= max) break;
    }
    return null;
  } finally {
    bitmap.close();
  }
}

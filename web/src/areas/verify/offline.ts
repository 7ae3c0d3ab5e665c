// Makes /verify load with no network after one online visit: a small service worker (web/public/sw.js)
// keeps the page and the asset files it used. The page tells the worker which files those are — the
// hashed names are only known at run time — after loading the QR decoder too, so scanning works offline.
import { loadJsQr } from './decodeQr.ts';

export async function keepForOffline(): Promise<void> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const reg = await navigator.serviceWorker.ready;
    await loadJsQr().catch(() => {});
    const urls = new Set<string>(['/verify', '/favicon.svg']);
    for (const e of performance.getEntriesByType('resource')) {
      const u = new URL(e.name);
      if (u.origin === location.origin && u.pathname.startsWith('/assets/')) urls.add(u.pathname);
    }
    for (const el of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[rel="stylesheet"], link[rel="modulepreload"]')) {
      const u = new URL('src' in el && el.src ? el.src : (el as HTMLLinkElement).href, location.href);
      if (u.origin === location.origin && u.pathname.startsWith('/assets/')) urls.add(u.pathname);
    }
    reg.active?.postMessage({ type: 'keep', urls: [...urls] });
  } catch {
    // no service worker (private mode, an old browser): /verify then needs the network to open
  }
}

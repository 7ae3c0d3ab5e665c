import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
/** Where `yiwang serve` listens during development; the dev server forwards API calls there. */
const apiTarget = process.env.YIWANG_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // MapLibre (~1 MB) is its own chunk, loaded only by the command map page.
    chunkSizeWarningLimit: 1100,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
      '/healthz': { target: apiTarget },
      '/tiles': { target: apiTarget },
    },
  },
  preview: { port: 4173 },
});

// The pages' build: one HTML entry under app/, served by the gateway at /ui/, every module and style bundled
// (no CDN, no external font), ECharts tree-shaken to the charts and components the pages import.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('app', import.meta.url)),
  base: '/ui/',
  build: {
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The dashboards' chunk carries the tree-shaken chart library (about 170 KB gzipped); the rest is small.
    chunkSizeWarningLimit: 600,
  },
});

// The page at / : built by `npm run build` (and by `npm start` when missing) into dist/web, served by the service.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // the build-size script tells the page (the entry and what it imports) from the diagram renderer (imported lazily)
    manifest: true,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
});

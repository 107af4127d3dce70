// npm run size: what a browser downloads for the page at / (gzipped, as the service sends it), apart from the diagram
// renderer (Mermaid, imported lazily when a statechart is first drawn). Fails above the budget of 300 KB.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const web = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
const manifest = JSON.parse(readFileSync(join(web, '.vite', 'manifest.json'), 'utf8'));

const gz = (file) => gzipSync(readFileSync(join(web, file))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// the page: index.html, its entry and every chunk the entry imports statically, with their CSS
const page = new Set(['index.html']);
const visit = (key) => {
  const chunk = manifest[key];
  if (page.has(chunk.file)) return;
  page.add(chunk.file);
  for (const css of chunk.css ?? []) page.add(css);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

// the diagram renderer: everything else the build wrote (what the dynamic import of mermaid pulls in)
const renderer = new Set(
  Object.values(manifest)
    .flatMap((c) => [c.file, ...(c.css ?? [])])
    .filter((f) => !page.has(f)),
);

const rows = [...page].map((file) => [file, gz(file)]);
const pageTotal = rows.reduce((sum, [, n]) => sum + n, 0);
const rendererTotal = [...renderer].reduce((sum, file) => sum + gz(file), 0);
for (const [file, n] of rows) console.log(`  ${file.padEnd(40)} ${kb(n).padStart(10)}`);
console.log(
  `the page (gzipped):                 ${kb(pageTotal)} of the ${kb(BUDGET)} budget (${((100 * pageTotal) / BUDGET).toFixed(1)} %)`,
);
console.log(
  `the diagram renderer (gzipped):     ${kb(rendererTotal)} in ${renderer.size} files, loaded when a statechart is first drawn`,
);
if (pageTotal > BUDGET) {
  console.error(`the page is over its budget by ${kb(pageTotal - BUDGET)}`);
  process.exit(1);
}

#!/usr/bin/env node
// Lists the mutants a Stryker run left alive as Markdown: a score per file, then every survivor (and every mutant no
// test reached) with its line, mutator and replacement, ready to be judged in docs/mutation.md.
//   node scripts/stryker/survivors.mjs [reports/mutation/mutation.json | --live]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The report of a finished run, or with `--live` the outcomes a running (or stopped) run has written so far. */
function readReport(arg) {
  if (arg !== '--live') return JSON.parse(readFileSync(arg ?? 'reports/mutation/mutation.json', 'utf8'));
  const files = {};
  for (const line of readFileSync('reports/mutation/live.jsonl', 'utf8').split('\n').filter(Boolean)) {
    const mutant = JSON.parse(line);
    const file = relative(process.cwd(), mutant.fileName);
    files[file] ??= { source: readFileSync(file, 'utf8'), mutants: [] };
    files[file].mutants.push(mutant);
  }
  return { files };
}
const report = readReport(process.argv[2]);

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const one = (text) => text.replace(/\s+/g, ' ').trim();
const cut = (text, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const cell = (text) => cut(one(text)).replace(/\|/g, '\\|').replace(/`/g, "'");

function original(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column - 1),
  ].join('\n');
}

const rows = [];
const survivors = [];
const total = { detected: 0, undetected: 0, ignored: 0 };
for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const count = { detected: 0, undetected: 0, ignored: 0 };
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) count.detected++;
    else if (UNDETECTED.has(mutant.status)) {
      count.undetected++;
      survivors.push({ file, mutant, code: original(source, mutant.location) });
    } else count.ignored++;
  }
  for (const key of Object.keys(total)) total[key] += count[key];
  rows.push({ file, ...count });
}

const score = ({ detected, undetected }) =>
  detected + undetected === 0 ? 'n/a' : `${((100 * detected) / (detected + undetected)).toFixed(1)}%`;
console.log('| file | killed | survived | ignored | score |\n|---|---:|---:|---:|---:|');
for (const row of rows)
  console.log(`| \`${row.file}\` | ${row.detected} | ${row.undetected} | ${row.ignored} | ${score(row)} |`);
console.log(`| **total** | ${total.detected} | ${total.undetected} | ${total.ignored} | **${score(total)}** |\n`);

if (survivors.length === 0) console.log('No surviving mutant.');
else {
  console.log('| where | mutator | original → mutant | status |\n|---|---|---|---|');
  for (const { file, mutant, code } of survivors) {
    const where = `${file}:${mutant.location.start.line}`;
    console.log(
      `| \`${where}\` | ${mutant.mutatorName} | \`${cell(code)}\` → \`${cell(mutant.replacement ?? '')}\` | ${mutant.status} |`,
    );
  }
}

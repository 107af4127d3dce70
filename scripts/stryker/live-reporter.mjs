// Stryker reporter: writes every tested mutant's outcome to reports/mutation/live.jsonl as it is known, so a run
// stopped before the end (a long folder on a shared machine) still leaves its results, and survivors can be judged
// while the run goes on. `node scripts/stryker/survivors.mjs --live` reads it.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

export const LIVE_FILE = 'reports/mutation/live.jsonl';

class LiveReporter {
  constructor() {
    mkdirSync(dirname(LIVE_FILE), { recursive: true });
    writeFileSync(LIVE_FILE, '');
  }

  onMutantTested(result) {
    const { id, fileName, mutatorName, replacement, location, status, statusReason } = result;
    const line = { id, fileName, mutatorName, replacement, location, status };
    if (status === 'Survived' || status === 'NoCoverage') line.statusReason = statusReason;
    appendFileSync(LIVE_FILE, `${JSON.stringify(line)}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];

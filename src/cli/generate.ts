import { generateCountry } from '../country/country-shape.js';
import { CliArgumentError, parseArgs } from './cli-args.js';

const USAGE = 'usage: npm run --silent generate -- --units N [--seed S] [--format ndjson|csv] > country.ndjson';

function main(argv: string[]): number {
  try {
    const { positional, options } = parseArgs(argv, { units: 'value', seed: 'value', format: 'value' });
    if (positional.length) throw new CliArgumentError(`unexpected argument ${positional[0]}`);
    const units = Number(options.units ?? NaN);
    const seed = Number(options.seed ?? 1);
    const format = (options.format as string | undefined) ?? 'ndjson';
    if (!Number.isInteger(units) || units < 1 || units > 50_000_000)
      throw new CliArgumentError('--units must be a whole number from 1 to 50,000,000');
    if (!Number.isInteger(seed)) throw new CliArgumentError('--seed must be a whole number');
    if (format !== 'ndjson' && format !== 'csv') throw new CliArgumentError('--format must be ndjson or csv');
    let chunk = format === 'csv' ? 'id,parentId,name,kind,leaderCount\n' : '';
    for (const unit of generateCountry(units, seed)) {
      chunk +=
        format === 'csv'
          ? `${unit.id},${unit.parentId ?? ''},${unit.name},${unit.kind},${unit.leaderCount}\n`
          : JSON.stringify(unit) + '\n';
      if (chunk.length > 1 << 16) {
        process.stdout.write(chunk);
        chunk = '';
      }
    }
    process.stdout.write(chunk);
    return 0;
  } catch (error) {
    if (!(error instanceof CliArgumentError)) throw error;
    process.stderr.write(`generate: ${error.message}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));

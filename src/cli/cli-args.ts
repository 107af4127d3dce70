/** A command line a person typed wrong: printed with the usage, exit code 2. */
export class CliArgumentError extends Error {}

/**
 * `--name value` and `--flag` pairs after a command word. Unknown, malformed or repeated options are an error (a
 * repeated one would otherwise let the last silently win: `--role AUDITOR … --role ADMIN`).
 */
export function parseArgs(
  argv: string[],
  known: Record<string, 'value' | 'flag'>,
): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!kind) throw new CliArgumentError(`unknown option ${arg}`);
    if (Object.hasOwn(options, name)) throw new CliArgumentError(`${arg} is given twice`);
    if (kind === 'flag') options[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new CliArgumentError(`${arg} needs a value`);
      options[name] = value;
    }
  }
  return { positional, options };
}

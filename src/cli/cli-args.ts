/** `--name value` and `--flag` pairs after a command word; unknown or malformed options are an error. */
export function parseArgs(argv: string[], known: Record<string, 'value' | 'flag'>): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const kind = known[name];
    if (!kind) throw new Error(`unknown option ${arg}`);
    if (kind === 'flag') options[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      options[name] = value;
    }
  }
  return { positional, options };
}

import { runRulebook } from './rulebook-command.js';

process.exitCode = await runRulebook(process.argv.slice(2), process.env);

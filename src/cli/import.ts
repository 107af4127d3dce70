import { runImport } from './import-command.js';

process.exitCode = await runImport(process.argv.slice(2), process.env);

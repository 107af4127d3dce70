import { runBackup } from './backup-command.js';

process.exitCode = await runBackup('restore', process.argv.slice(2), process.env);

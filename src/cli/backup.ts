import { runBackup } from './backup-command.js';

process.exitCode = await runBackup('backup', process.argv.slice(2), process.env);

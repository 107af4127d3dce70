import { runReport } from './report-command.js';

process.exitCode = await runReport(process.argv.slice(2), process.env);

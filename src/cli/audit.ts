import { runAudit } from './audit-command.js';

process.exitCode = await runAudit(process.argv.slice(2), process.env);

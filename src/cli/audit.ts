import { runAudit } from './audit-command.js';
import { quietOnClosedPipe } from './closed-pipe.js';

quietOnClosedPipe(process.stdout);
process.exitCode = await runAudit(process.argv.slice(2), process.env);

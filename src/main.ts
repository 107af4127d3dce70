import { startServer } from './start-server.js';

const started = await startServer(process.env, { out: (line) => console.log(line), err: (line) => console.error(line) });
if (typeof started === 'number') process.exit(started);

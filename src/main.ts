import { startServer, stopOnSignals, type StartIo } from './start-server.js';

const io: StartIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
const started = await startServer(process.env, io);
if (typeof started === 'number') process.exit(started);
else stopOnSignals(started, io);

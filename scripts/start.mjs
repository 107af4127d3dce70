// npm start: build if needed, then serve (migrations are applied at boot; a new database gets the demo province).
import { ensureBuilt } from './ensure-built.mjs';

ensureBuilt();
await import('../dist/src/main.js');

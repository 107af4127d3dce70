// npm start: build if needed (the service and the page at /), then serve (migrations are applied at boot; a new database gets the demo province).
import { ensureBuilt, ensureWebBuilt } from './ensure-built.mjs';

ensureBuilt();
ensureWebBuilt();
await import('../dist/src/main.js');

/**
 * The service as deployed, in a child process of a bench (bench-server.ts: createApp with NODE_ENV=production on a
 * temporary SQLite file), so that the load generator in the parent does not share its event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
}

export function startService(
  databasePath: string,
  jwtSecret: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const script = fileURLToPath(new URL('./bench-server.js', import.meta.url));
  // as deployed: NODE_ENV=production (graphql-js, among others, drops its development checks)
  const child = fork(script, ['service', databasePath, jwtSecret], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start within 60 s')), 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      const url = (message as { url: string }).url;
      if (!url.startsWith('http://127.0.0.1:')) reject(new Error(`refusing a non-loopback target ${url}`));
      resolve({ url, child });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code} before listening`));
    });
  });
}

export async function stopService(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.send('stop');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

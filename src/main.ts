import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './bootstrap.js';
import { seedDemoIfEmpty } from './demo/demo-seed.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`lookback: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  if (config.seedDemo) await seedDemoIfEmpty(app);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  console.log(`Lookback is serving GraphQL at ${url}/graphql (health: ${url}/health) on ${config.database.type}`);
  console.log(
    `Every request needs a bearer token. An admin token for the whole tree:\n` +
      `  npm run --silent token -- --role ADMIN --sub you\n` +
      `then send it as "Authorization: Bearer <token>"` +
      (config.jwtSecretIsDevDefault ? ' (signed with the development secret: set LOOKBACK_JWT_SECRET for real use).' : '.'),
  );
}

main().catch((error: Error) => {
  console.error(`lookback: failed to start: ${error.message}`);
  process.exit(1);
});

import 'reflect-metadata';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { writeFileSync } from 'node:fs';
import { createApp } from '../bootstrap.js';
import { testFreeConfig } from './schema-config.js';

/** The code-first schema as SDL, types and fields sorted: the checked-in contract (schema.graphql). */
export function schemaText(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

/** `npm run schema` writes schema.graphql from the code (an in-memory database, nothing served). */
async function main(): Promise<void> {
  const app = await createApp(testFreeConfig());
  await app.init();
  const text = schemaText(app.get(GraphQLSchemaHost).schema);
  await app.close();
  const target = process.argv[2] ?? 'schema.graphql';
  if (target === '-') process.stdout.write(text);
  else writeFileSync(target, text);
}

if (process.argv[1]?.endsWith('schema.js')) await main();

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The repository's root (where package.json is), from this module's place in src/ or dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A file served from memory: its bytes, and a gzipped copy made on first request by a client that accepts it. */
export class StaticFile {
  private gzipped: Buffer | undefined;

  constructor(
    readonly body: Buffer,
    readonly type: string,
    /** content-hashed file names never change: cached for a year; the rest revalidated */
    readonly immutable: boolean,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  static of(path: string, immutable = false): StaticFile {
    return new StaticFile(readFileSync(path), TYPES[extname(path)] ?? 'application/octet-stream', immutable);
  }

  send(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    reply.type(this.type).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
    reply.header('cache-control', this.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    for (const [name, value] of Object.entries(this.headers)) reply.header(name, value);
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (this.body.length > 1024 && /\bgzip\b/.test(accepts)) {
      this.gzipped ??= gzipSync(this.body);
      return reply.header('content-encoding', 'gzip').send(this.gzipped);
    }
    return reply.send(this.body);
  }
}

/** Every file under a folder, by its URL path ('/assets/x.js'). */
export function filesUnder(folder: string, immutable: (urlPath: string) => boolean): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const urlPath = '/' + relative(folder, path).split(sep).join('/');
        files.set(urlPath, StaticFile.of(path, immutable(urlPath)));
      }
    }
  };
  if (existsSync(folder)) walk(folder);
  return files;
}

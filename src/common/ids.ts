import { randomBytes, randomInt } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * UUID version 7: time-ordered, so ordering by id is creation order (stable cursor pagination).
 * Within one millisecond a 12-bit counter (RFC 9562 method 1) keeps ids of this process increasing.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = randomInt(0, 1 << 10);
  } else if (++sequence >= 1 << 12) {
    lastMs++;
    sequence = 0;
  }
  const bytes = randomBytes(16);
  let ms = BigInt(lastMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

/**
 * Nest's Logger captured for a spec: each message as `level [context] message`, in order, for the levels named
 * (the others still print). Call in `beforeEach`; `jest.restoreAllMocks()` in `afterEach` gives the logger back.
 */
export function captureLogs(...levels: ('log' | 'warn' | 'error')[]): string[] {
  const logged: string[] = [];
  const record = (level: string) =>
    function (this: { context?: string }, message: unknown) {
      logged.push(`${level} [${this.context}] ${String(message)}`);
    };
  for (const level of levels) jest.spyOn(Logger.prototype, level).mockImplementation(record(level));
  return logged;
}

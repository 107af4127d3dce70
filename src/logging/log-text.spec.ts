import { jsonForLog, LOG_TEXT_LIMIT, truncateForLog } from './log-text.js';

describe('truncateForLog', () => {
  it('keeps text of at most 200 characters as it is', () => {
    expect(LOG_TEXT_LIMIT).toBe(200);
    expect(truncateForLog('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('cuts text of 201 characters and more to 200 and a marker with the number left out', () => {
    expect(truncateForLog('x'.repeat(201))).toBe(`${'x'.repeat(200)}…(+1)`);
    expect(truncateForLog('y'.repeat(20_000))).toBe(`${'y'.repeat(200)}…(+19800)`);
    expect(truncateForLog('abcdef', 3)).toBe('abc…(+3)');
  });

  it('never leaves half of a character outside the basic plane', () => {
    const text = `${'x'.repeat(199)}😀${'x'.repeat(10)}`;
    expect(truncateForLog(text)).toBe(`${'x'.repeat(199)}…(+12)`);
  });
});

describe('jsonForLog', () => {
  it('writes variables as JSON of bounded length', () => {
    expect(jsonForLog({ id: 'u1' })).toBe('{"id":"u1"}');
    expect(jsonForLog({ text: 'z'.repeat(1000) })).toMatch(/^\{"text":"z+…\(\+811\)$/);
  });

  it('describes what JSON cannot write instead of failing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonForLog(cyclic)).toBe('<object>');
    expect(jsonForLog(undefined)).toBe('<undefined>');
  });
});

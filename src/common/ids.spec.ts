import { uuidv7, UUID_PATTERN } from './ids.js';

describe('uuidv7', () => {
  it('is a version 7 UUID', () => {
    expect(uuidv7()).toMatch(UUID_PATTERN);
    expect(uuidv7()[14]).toBe('7');
  });

  it('keeps increasing within one millisecond and across milliseconds', () => {
    const ids = [...Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000)), uuidv7(1_700_000_000_001)];
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

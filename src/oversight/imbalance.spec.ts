import { imbalanceOf } from './imbalance.js';

describe('imbalance among children (进展不平衡)', () => {
  it('a lone child or none: no spread, nobody lags', () => {
    expect(imbalanceOf(new Map())).toEqual({ spread: 0, uneven: false, laggingChildren: [] });
    expect(imbalanceOf(new Map([['a', 0.1]]))).toEqual({ spread: 0, uneven: false, laggingChildren: [] });
  });

  it("a child lags at 0.15 below its siblings' mean exactly (float noise does not decide), lowest first", () => {
    // siblings of c: (0.4 + 0.4) / 2 = 0.4; 0.4 − 0.25 = 0.15000000000000002 in binary
    expect(
      imbalanceOf(
        new Map([
          ['a', 0.4],
          ['b', 0.4],
          ['c', 0.25],
        ]),
      ),
    ).toEqual({ spread: 0.15000000000000002, uneven: false, laggingChildren: ['c'] });
    expect(
      imbalanceOf(
        new Map([
          ['a', 0.4],
          ['b', 0.4],
          ['c', 0.26],
        ]),
      ).laggingChildren,
    ).toEqual([]);
    expect(
      imbalanceOf(
        new Map([
          ['a', 0.9],
          ['b', 0.2],
          ['c', 0.1],
        ]),
      ).laggingChildren,
    ).toEqual(['c', 'b']);
  });

  it('the parent is uneven from a spread of 0.25', () => {
    expect(
      imbalanceOf(
        new Map([
          ['a', 0.5],
          ['b', 0.25],
        ]),
      ).uneven,
    ).toBe(true);
    expect(
      imbalanceOf(
        new Map([
          ['a', 0.5],
          ['b', 0.26],
        ]),
      ).uneven,
    ).toBe(false);
  });
});

import { Writable } from 'node:stream';
import { createPino, PinoNestLogger } from './logger.js';

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const logger = createPino('info', destination);
  return { logger, entries: () => lines.map((line) => JSON.parse(line)), lines };
}

const BIG = 'B'.repeat(20_000);
const CUT = `${'B'.repeat(200)}…(+19800)`;

describe('createPino: every line bounded', () => {
  it('cuts a message, and the strings interpolated into it', () => {
    const { logger, entries } = capture();
    logger.info(BIG);
    logger.info({ context: 'x' }, BIG);
    expect(entries().map((e) => e.msg)).toEqual([CUT, CUT]);
  });

  it('an Error logged alone becomes err, its message cut in msg and stack', () => {
    const { logger, entries } = capture();
    logger.error(new Error(BIG));
    logger.error({ err: new Error(BIG) });
    for (const entry of entries()) {
      expect(entry.msg).toBe(CUT);
      expect(entry.err.stack.split('\n')[0]).toBe(`Error: ${'B'.repeat(193)}…(+19807)`);
    }
  });

  it('cuts operation names, queries, variables and request URLs', () => {
    const { logger, entries } = capture();
    logger.info(
      {
        operationName: BIG,
        query: BIG,
        variables: { text: BIG },
        req: { method: 'GET', url: `/graphql?query=${BIG}`, ip: '127.0.0.1' },
      },
      'x',
    );
    const [entry] = entries();
    expect(entry.operationName).toBe(CUT);
    expect(entry.query).toBe(CUT);
    expect(entry.variables).toBe(`{"text":"${'B'.repeat(191)}…(+19811)`);
    expect(entry.req).toEqual({
      method: 'GET',
      url: `/graphql?query=${'B'.repeat(185)}…(+19815)`,
      remoteAddress: '127.0.0.1',
    });
  });

  it('keeps one line per entry whatever the message holds', () => {
    const { logger, lines } = capture();
    logger.info('first\n{"level":60,"msg":"forged"}');
    expect(lines).toHaveLength(1);
  });
});

describe('PinoNestLogger', () => {
  it("writes Nest's errors with their stack once, an Error as err, a trace string cut", () => {
    const { logger, entries } = capture();
    const sut = new PinoNestLogger(logger);
    sut.error(new TypeError('boom'), undefined, 'GraphQL');
    sut.error(BIG, `Error: ${BIG}\n    at somewhere (file.js:1:1)`, 'ExceptionsHandler');
    const [first, second] = entries();
    expect(first).toMatchObject({
      level: 50,
      context: 'GraphQL',
      msg: 'boom',
      err: { type: 'TypeError', message: 'boom' },
    });
    expect(first.err.stack).toMatch(/^TypeError: boom\n {4}at /);
    expect(second).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      msg: CUT,
      trace: `Error: ${'B'.repeat(193)}…(+19807)\n    at somewhere (file.js:1:1)`,
    });
  });
});

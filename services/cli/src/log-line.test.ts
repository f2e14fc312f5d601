import { createPalette, stripAnsi } from './colors';
import { createLogPrinter, describeProcessEvent } from './log-printer';
import { formatField, renderLogLine } from './log-line';
import { Sink } from '../test/fixtures';

const plain = createPalette(false);

/** What @lookalike/core's createLogger writes. */
const pinoLine = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: '2026-11-25T22:36:29.123Z',
    service: 'embedder',
    pid: 4242,
    name: 'embedder',
    ...fields,
  });

describe('renderLogLine', () => {
  it('renders a pino line as `time level msg key=value`, dropping the fields the tag already says', () => {
    const line = pinoLine({ msg: 'shard embedded', rebuildId: 'rb-1', stage: 'embed', shard: 3, ms: 1234.5 });
    expect(renderLogLine(line, plain)).toBe(
      '22:36:29 info  shard embedded rebuildId=rb-1 stage=embed shard=3 ms=1234.5',
    );
  });

  it('names levels and colours them', () => {
    expect(renderLogLine(pinoLine({ level: 40, msg: 'slow' }), plain)).toBe('22:36:29 warn  slow');
    expect(renderLogLine(pinoLine({ level: 20, msg: 'x' }), plain)).toContain(' debug x');
    const coloured = renderLogLine(pinoLine({ level: 50, msg: 'bad' }), createPalette(true));
    expect(coloured).toContain('\x1b[31merror');
    expect(stripAnsi(coloured)).toBe('22:36:29 error bad');
  });

  it('quotes values with spaces, JSON-encodes objects and cuts long values', () => {
    expect(formatField('url', 'http://127.0.0.1:8080')).toBe('url=http://127.0.0.1:8080');
    expect(formatField('reason', 'no such file')).toBe('reason="no such file"');
    expect(formatField('counts', { a: 1 })).toBe('counts={"a":1}');
    expect(formatField('ok', true)).toBe('ok=true');
    expect(formatField('nothing', null)).toBe('nothing=null');
    expect(formatField('big', 'x'.repeat(1000)).length).toBeLessThanOrEqual(4 + 300);
  });

  it('shows an error message inline and its stack below, at level error', () => {
    const err = {
      type: 'Error',
      message: 'connect ECONNREFUSED',
      stack: 'Error: connect ECONNREFUSED\n    at a (x.js:1:1)\n    at b (y.js:2:2)',
    };
    const rendered = renderLogLine(pinoLine({ level: 50, msg: 'job failed', err }), plain);
    expect(rendered.split('\n')).toEqual([
      '22:36:29 error job failed err="connect ECONNREFUSED"',
      '    at a (x.js:1:1)',
      '    at b (y.js:2:2)',
    ]);
    // Below error level, no stack.
    expect(renderLogLine(pinoLine({ level: 40, msg: 'retrying', err }), plain)).toBe(
      '22:36:29 warn  retrying err="connect ECONNREFUSED"',
    );
  });

  it('passes anything that is not a pino record through unchanged', () => {
    for (const line of [
      'plain text',
      '',
      '{not json}',
      '[1,2]',
      '{"a":1}',
      '   at Object.<anonymous> (main.js:1:1)',
    ]) {
      expect(renderLogLine(line, plain)).toBe(line);
    }
  });
});

describe('createLogPrinter', () => {
  it('prefixes every line with an aligned tag, one colour per process', () => {
    const out = new Sink();
    const printer = createLogPrinter({ out, palette: plain, names: ['producer', 'embedder-1'] });
    printer.onLine('producer', pinoLine({ msg: 'producer ready' }), 'stdout');
    printer.onLine('embedder-1', 'Warning: something plain', 'stderr');
    printer.onLine(
      'embedder-1',
      pinoLine({ level: 50, msg: 'boom', stack: 'Error: boom\n    at x' }),
      'stdout',
    );
    expect(out.text.split('\n')).toEqual([
      '[producer]   22:36:29 info  producer ready',
      '[embedder-1] Warning: something plain',
      '[embedder-1] 22:36:29 error boom',
      '[embedder-1]     at x',
      '',
    ]);
    const coloured = createLogPrinter({ out: new Sink(), palette: createPalette(true), names: ['a', 'b'] });
    expect(coloured.tag('a')).not.toBe(stripAnsi(coloured.tag('a')));
    expect(coloured.tag('a').slice(0, 5)).not.toBe(coloured.tag('b').slice(0, 5));
  });

  it('describes supervisor events', () => {
    expect(
      describeProcessEvent(
        { type: 'exited', name: 'x', pid: 1, code: 1, signal: null, expected: false },
        plain,
      ),
    ).toBe('exited unexpectedly (code 1)');
    expect(
      describeProcessEvent(
        { type: 'exited', name: 'x', pid: 1, code: null, signal: 'SIGTERM', expected: true },
        plain,
      ),
    ).toBe('exited (signal SIGTERM)');
    expect(
      describeProcessEvent(
        { type: 'restarting', name: 'x', attempt: 2, maxRestarts: 5, delayMs: 1000 },
        plain,
      ),
    ).toBe('restarting in 1 s (2/5)');
    expect(describeProcessEvent({ type: 'gave-up', name: 'x', restarts: 5 }, plain)).toBe(
      'gave up after 5 restarts',
    );
    expect(describeProcessEvent({ type: 'started', name: 'x', pid: 7, restarts: 0 }, plain)).toBe(
      'started (pid 7)',
    );
  });
});

import { colourByWord, createPalette } from './colors';
import { renderLogLine } from './log-line';
import { colourStatus } from './status-view';

const p = createPalette(true);

describe('colourByWord', () => {
  it('applies the colours of a word outermost first, the fallback to other words, none when there is none', () => {
    const tones = { fatal: ['bold', 'red'], info: ['green'] } as const;
    expect(colourByWord(p, 'fatal', 'x', tones)).toBe(p.bold(p.red('x')));
    expect(colourByWord(p, 'info', 'info ', tones)).toBe('\x1b[32minfo \x1b[39m');
    expect(colourByWord(p, 'other', 'y', tones, ['cyan'])).toBe(p.cyan('y'));
    expect(colourByWord(p, 'other', 'y', tones)).toBe('y');
  });

  it('colours log levels and rebuild statuses', () => {
    expect(renderLogLine(JSON.stringify({ level: 60, msg: 'down' }), p)).toBe(
      `${p.bold(p.red('fatal'))} down`,
    );
    expect(colourStatus('failed', p)).toBe(p.red('failed'));
    expect(colourStatus('running', p)).toBe(p.cyan('running'));
  });
});

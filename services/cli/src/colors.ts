/** ANSI colours, or none: one palette is chosen per output stream. */
export interface Palette {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
  gray(text: string): string;
}

export type ColourName = Exclude<keyof Palette, 'enabled'>;

const CODES: Record<ColourName, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

export function createPalette(enabled: boolean): Palette {
  const wrap = (name: ColourName) => {
    const [open, close] = CODES[name];
    return enabled ? (text: string) => `\x1b[${open}m${text}\x1b[${close}m` : (text: string) => text;
  };
  return {
    enabled,
    bold: wrap('bold'),
    dim: wrap('dim'),
    red: wrap('red'),
    green: wrap('green'),
    yellow: wrap('yellow'),
    blue: wrap('blue'),
    magenta: wrap('magenta'),
    cyan: wrap('cyan'),
    gray: wrap('gray'),
  };
}

/** Colour when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces it on. */
export function shouldColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Removes ANSI escape sequences (for width computations and tests). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/**
 * Colours `text` by what it says: `tones[word]` lists the palette colours to apply (outermost
 * first, e.g. `['bold', 'red']`), `fallback` those of any other word; none leaves it plain.
 */
export function colourByWord(
  p: Palette,
  word: string,
  text: string,
  tones: Readonly<Record<string, readonly ColourName[]>>,
  fallback: readonly ColourName[] = [],
): string {
  return (tones[word] ?? fallback).reduceRight((coloured, tone) => p[tone](coloured), text);
}

/** Colours cycled through for process tags in local mode. */
export const TAG_COLOURS: readonly ColourName[] = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'];

import { colourByWord, type ColourName, type Palette } from './colors';

/** pino's numeric levels. */
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Fields every line of a service has; they add nothing next to the process tag. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'service', 'v']);

const MAX_VALUE = 300;

function levelName(level: unknown): string {
  if (typeof level === 'number') return LEVELS[level] ?? String(level);
  if (typeof level === 'string') return level;
  return 'info';
}

/** The colours of each log level's name. */
const LEVEL_TONES: Record<string, readonly ColourName[]> = {
  trace: ['gray'],
  debug: ['gray'],
  info: ['green'],
  warn: ['yellow'],
  error: ['red'],
  fatal: ['bold', 'red'],
};

function colourLevel(level: string, p: Palette): string {
  return colourByWord(p, level, level.padEnd(5), LEVEL_TONES);
}

/** `key=value`: plain when the value is a simple token, JSON otherwise; long values are cut. */
export function formatField(key: string, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  else if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { message?: unknown }).message === 'string'
  ) {
    // Serialised errors ({ type, message, stack }): the message is what a reader wants inline.
    text = JSON.stringify((value as { message: string }).message);
  } else text = JSON.stringify(value) ?? String(value);
  if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE - 1)}…`;
  return `${key}=${text}`;
}

function timeOf(time: unknown): string | undefined {
  if (typeof time === 'string' && /^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)/.test(time)) return time.slice(11, 19);
  if (typeof time === 'number') return new Date(time).toISOString().slice(11, 19);
  return undefined;
}

/**
 * Renders one line of a service's output compactly: a pino JSON line becomes
 * `12:00:01 info  producer ready url=http://… storage=file:///…`; anything else is returned as is.
 * An error's stack (`err.stack` or `stack`) follows on its own lines at level error and above.
 */
export function renderLogLine(line: string, p: Palette): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  if (!('level' in record) && !('msg' in record)) return line;
  const level = levelName(record.level);
  const time = timeOf(record.time);
  const msg =
    typeof record.msg === 'string' ? record.msg : record.msg === undefined ? '' : JSON.stringify(record.msg);
  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    if (key === 'stack' && typeof value === 'string') {
      stack = value;
      continue;
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { stack?: unknown }).stack === 'string'
    ) {
      stack ??= (value as { stack: string }).stack;
    }
    fields.push(formatField(key, value));
  }
  const head = [time !== undefined ? p.dim(time) : undefined, colourLevel(level, p), msg].filter(
    (s) => s !== undefined && s !== '',
  );
  let rendered = head.join(' ');
  if (fields.length > 0) rendered += ` ${p.dim(fields.join(' '))}`;
  const severe =
    typeof record.level === 'number' ? record.level >= 50 : level === 'error' || level === 'fatal';
  if (stack !== undefined && severe) {
    rendered += `\n${stack
      .split('\n')
      .slice(1)
      .map((l) => p.dim(`    ${l.trim()}`))
      .join('\n')}`;
  }
  return rendered;
}

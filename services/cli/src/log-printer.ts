import { TAG_COLOURS, type Palette } from './colors';
import { renderLogLine } from './log-line';
import type { OutputStream } from './output';
import type { OutputStreamName, ProcessEvent } from './process-group';

export interface LogPrinterOptions {
  out: OutputStream;
  palette: Palette;
  /** Known names, so that tags line up from the first line; others are added as they appear. */
  names?: string[];
  /** Print lines as they come instead of rendering pino JSON. */
  raw?: boolean;
}

/** Prints processes' output as `[embedder-1] 12:00:01 info  msg key=value`, one colour per process. */
export function createLogPrinter(options: LogPrinterOptions): {
  onLine: (name: string, line: string, stream: OutputStreamName) => void;
  onEvent: (event: ProcessEvent) => void;
  tag: (name: string) => string;
} {
  const p = options.palette;
  const colours = new Map<string, (s: string) => string>();
  let width = Math.max(0, ...(options.names ?? []).map((n) => n.length + 2));
  const colourOf = (name: string) => {
    let colour = colours.get(name);
    if (!colour) {
      const pick = TAG_COLOURS[colours.size % TAG_COLOURS.length]!;
      colour = (s: string) => p[pick](s);
      colours.set(name, colour);
      width = Math.max(width, name.length + 2);
    }
    return colour;
  };
  for (const name of options.names ?? []) colourOf(name);
  const tag = (name: string) => colourOf(name)(`[${name}]`.padEnd(width));
  const write = (name: string, text: string) => {
    const prefix = tag(name);
    options.out.write(
      `${text
        .split('\n')
        .map((l) => `${prefix} ${l}`)
        .join('\n')}\n`,
    );
  };
  return {
    tag,
    onLine: (name, line) => write(name, options.raw ? line : renderLogLine(line, p)),
    onEvent: (event) => {
      const text = describeProcessEvent(event, p);
      if (text !== undefined) write(event.name, text);
    },
  };
}

/** Supervisor events as the local-mode output shows them; undefined for the unremarkable ones. */
export function describeProcessEvent(event: ProcessEvent, p: Palette): string | undefined {
  switch (event.type) {
    case 'started':
      return event.restarts > 0
        ? p.yellow(`restarted (pid ${event.pid}, restart ${event.restarts})`)
        : p.dim(`started (pid ${event.pid})`);
    case 'exited': {
      const how = event.signal !== null ? `signal ${event.signal}` : `code ${event.code}`;
      return event.expected ? p.dim(`exited (${how})`) : p.red(`exited unexpectedly (${how})`);
    }
    case 'restarting':
      return p.yellow(
        `restarting in ${Math.round(event.delayMs / 100) / 10} s (${event.attempt}/${event.maxRestarts})`,
      );
    case 'gave-up':
      return p.red(`gave up after ${event.restarts} restarts`);
    case 'spawn-error':
      return p.red(`could not start: ${event.error.message}`);
  }
}

import pino from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Service or component name, e.g. `embedder`. */
  name: string;
  level?: string;
}

/** JSON logger (pino). Bind `rebuildId`, `stage` and `shard` with `logger.child({...})`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: options.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that writes nothing: the default for libraries when the caller gives none. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Base class of every error that this package throws on purpose. */
export class RecsysError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** Invalid arguments or options. */
export class RecsysInputError extends RecsysError {}

/**
 * A malformed row (or header) in one of the input files. `file` is the name the caller gave the reader,
 * `line` the 1-based physical line on which the offending record starts (the header is line 1).
 */
export class RecsysParseError extends RecsysError {
  readonly file: string;
  readonly line: number;
  readonly reason: string;

  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** A serialised model or evaluation that is truncated, corrupted or of another format. */
export class RecsysFormatError extends RecsysError {}

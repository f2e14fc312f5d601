/** Where the CLI writes: process.stdout/stderr in production, a buffer in tests. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Writes `text` followed by a newline. */
export function println(out: OutputStream, text = ''): void {
  out.write(`${text}\n`);
}
